// Typed errors. Messages name the endpoint or option, never a secret or a token. Fields are
// `declare`d and set by their constructor: a declared field emits no code (bundle size).
import type { NetworkFailureKind } from '../endpoint/network-failure.ts';
import { AuthwireError, type AuthwireErrorCode } from './authwire-error.ts';

export {
  AuthwireError,
  type AuthwireErrorCode,
  isAuthwireError,
  scrubbedError,
} from './authwire-error.ts';

/**
 * An option was missing or malformed; `option` names it.
 *
 * @example
 * createTokenManager(provider, { refreshWindowMS: 1000 }); // InvalidOptionsError, option 'refreshWindowMS'
 */
export class InvalidOptionsError extends AuthwireError {
  override name = 'InvalidOptionsError';
  static override readonly fields: readonly string[] = ['option'];
  declare readonly option: string;
  constructor(option: string, message: string) {
    super('invalid_options', message);
    this.option = option;
  }
}

/**
 * A token endpoint or API origin is not HTTPS (loopback excepted).
 *
 * @example
 * clientCredentials({ tokenUrl: 'http://id.example.com/token', clientId, clientSecret }); // throws
 */
export class InsecureUrlError extends AuthwireError {
  override name = 'InsecureUrlError';
  declare readonly url: string;
  constructor(what: string, url: string) {
    super('insecure_url', `${what} must use https (http is allowed for loopback only): ${url}`);
    this.url = url;
  }
}

/** A TokenEndpointError's fields (see the class), and its cause. */
export type TokenEndpointErrorDetails = Pick<TokenEndpointError, 'endpoint' | 'retryable'> &
  Partial<Pick<TokenEndpointError, 'status' | 'error' | 'errorDescription' | 'network'>> & {
    readonly cause?: unknown;
  };

/**
 * The token endpoint refused, failed or could not be reached.
 *
 * @example
 * if (error instanceof TokenEndpointError && error.error === 'invalid_client') rotateCredentials();
 */
export class TokenEndpointError extends AuthwireError {
  override name = 'TokenEndpointError';
  static override readonly fields: readonly string[] = [
    'endpoint',
    'status',
    'error',
    'errorDescription',
    'network',
  ];
  declare readonly endpoint: string;
  declare readonly status: number | undefined;
  /** OAuth `error` (or the provider's error code). */
  declare readonly error: string | undefined;
  declare readonly errorDescription: string | undefined;
  /** Whether retrying the same request may succeed (5xx, network). */
  declare readonly retryable: boolean;
  /**
   * Why the request got no answer: `dns` (host not found), `refused`, `tls`, `reset`, `timeout`,
   * `unreachable`, `blocked_port` or `other`; undefined when the endpoint answered (see `status`).
   */
  declare readonly network: NetworkFailureKind | undefined;

  constructor(message: string, details: TokenEndpointErrorDetails) {
    super('token_request_failed', message, { cause: details.cause });
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.retryable = details.retryable;
    this.network = details.network;
  }
}

/**
 * The token endpoint answered 2xx with something that is not a usable token.
 *
 * @example
 * if (error instanceof InvalidTokenResponseError) log.error(error.endpoint, error.status);
 */
export class InvalidTokenResponseError extends AuthwireError {
  override name = 'InvalidTokenResponseError';
  static override readonly fields: readonly string[] = ['endpoint', 'status'];
  declare readonly endpoint: string;
  /** The HTTP status of the answer; undefined for a token that did not come over HTTP (a store entry, a provider's return value). */
  declare readonly status: number | undefined;
  constructor(endpoint: string, status: number | undefined, problem: string) {
    const where =
      status === undefined ? `from ${endpoint}` : `response from ${endpoint} (HTTP ${status})`;
    super('invalid_token_response', `Invalid token ${where}: ${problem}`);
    this.endpoint = endpoint;
    this.status = status;
  }
}

/**
 * A response body was larger than the limit (`maxResponseBytes`, default 64 KiB), counted after
 * Content-Encoding is undone (a gzip bomb is caught at the limit, not after inflating it).
 *
 * @example
 * // Raise the cap for an endpoint whose answers are legitimately fat:
 * createTokenManager(provider, { origins, maxResponseBytes: 256 * 1024 });
 */
export class ResponseTooLargeError extends InvalidTokenResponseError {
  override name = 'ResponseTooLargeError';
  override readonly code: AuthwireErrorCode = 'response_too_large';
  static override readonly fields: readonly string[] = ['endpoint', 'status', 'limitBytes'];
  /** The limit that was exceeded, in decoded bytes. */
  declare readonly limitBytes: number;
  constructor(endpoint: string, status: number | undefined, limitBytes: number) {
    super(endpoint, status, `the body is larger than ${limitBytes} bytes (maxResponseBytes)`);
    this.limitBytes = limitBytes;
  }
}

/**
 * The token endpoint answered 429, or the manager is waiting out an earlier 429.
 *
 * @example
 * if (error instanceof RateLimitedError) retryIn(error.retryAfterMs);
 */
export class RateLimitedError extends AuthwireError {
  override name = 'RateLimitedError';
  declare readonly endpoint: string;
  /** How long until a new token request may be sent, in ms. */
  declare readonly retryAfterMs: number;
  constructor(endpoint: string, retryAfterMs: number) {
    super(
      'rate_limited',
      `Token endpoint ${endpoint} is rate limited; retry in ${Math.ceil(retryAfterMs / 1000)} s`,
    );
    this.endpoint = endpoint;
    this.retryAfterMs = retryAfterMs;
  }
}

/** What a fetch that ran out of its `tokenTimeoutMs` spent: the time waited and the attempts made. */
export interface TimeoutSpent {
  readonly attempts: number;
  /** The limit of one attempt (`requestTimeoutMs`). */
  readonly requestTimeoutMs: number;
  /** The limit of the whole fetch (`tokenTimeoutMs`). */
  readonly tokenTimeoutMs: number;
}

/**
 * No token request was sent: the token endpoint's last attempt (in this process, or in the fleet
 * sharing the store) failed with a 5xx or no answer, and the endpoint's back-off runs until
 * `retryAfterMs` from now. Thrown to a refresh whose old token is still valid (callers keep it)
 * and to callers whose wait would outlast `maxRetryAfterMs`.
 *
 * @example
 * if (error instanceof EndpointDownError) log.warn(`identity server down, next try in ${error.retryAfterMs} ms`);
 */
export class EndpointDownError extends AuthwireError {
  override name = 'EndpointDownError';
  static override readonly fields: readonly string[] = ['endpoint', 'retryAfterMs'];
  declare readonly endpoint: string;
  /** How long until the next token request may be sent, in ms. */
  declare readonly retryAfterMs: number;
  constructor(endpoint: string, retryAfterMs: number) {
    super(
      'endpoint_down',
      `Token endpoint ${endpoint} is down (its last attempt failed); next attempt in ${Math.ceil(retryAfterMs)} ms`,
    );
    this.endpoint = endpoint;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * A token request took longer than `requestTimeoutMs`, or a token fetch (every attempt and
 * back-off) longer than `tokenTimeoutMs`. When a token fetch ends in a timeout, `attempts` and
 * `waitedMs` say what it spent in all.
 *
 * @example
 * // TimeoutError: Token request to norce acme…/connect/token timed out: waited 15000 ms over
 * // 1 attempt (requestTimeoutMs 15000, tokenTimeoutMs 15000)
 * if (error instanceof TimeoutError) console.log(error.waitedMs, error.attempts);
 */
export class TimeoutError extends AuthwireError {
  override name = 'TimeoutError';
  static override readonly fields: readonly string[] = ['attempts', 'waitedMs'];
  /** Attempts made, when a token fetch ended in this timeout; undefined otherwise. */
  declare readonly attempts: number | undefined;
  /** How long the token fetch waited in all, in ms, when it ended in this timeout; undefined otherwise. */
  declare readonly waitedMs: number | undefined;
  constructor(what: string, ms?: number, spent?: TimeoutSpent) {
    const waited = ms === undefined ? undefined : Math.round(ms);
    super(
      'timeout',
      waited === undefined
        ? `${what} timed out`
        : spent === undefined
          ? `${what} timed out after ${waited} ms`
          : `${what} timed out: waited ${waited} ms over ${spent.attempts} attempt${spent.attempts === 1 ? '' : 's'} (requestTimeoutMs ${spent.requestTimeoutMs}, tokenTimeoutMs ${spent.tokenTimeoutMs})`,
    );
    this.attempts = spent?.attempts;
    this.waitedMs = spent === undefined ? undefined : waited;
  }
}

/**
 * The caller's signal aborted its wait. The shared token fetch goes on for the others.
 *
 * @example
 * await auth.getToken({ signal: AbortSignal.abort() }); // AbortedError
 */
export class AbortedError extends AuthwireError {
  override name = 'AbortedError';
  constructor(reason?: unknown) {
    super('aborted', 'The operation was aborted', { cause: reason });
  }
}

/**
 * The manager was closed.
 *
 * @example
 * await auth.close();
 * await auth.getToken(); // ClosedError
 */
export class ClosedError extends AuthwireError {
  override name = 'ClosedError';
  constructor() {
    super('closed', 'The token manager is closed');
  }
}
