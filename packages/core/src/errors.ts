// Typed errors. Messages name the endpoint or option, never a secret or a token.

export type AuthwireErrorCode =
  | 'invalid_options'
  | 'insecure_url'
  | 'token_request_failed'
  | 'invalid_token_response'
  | 'rate_limited'
  | 'timeout'
  | 'aborted'
  | 'closed';

const brand = Symbol.for('authwire.error');

/** Base of every error authwire throws; `code` is stable, messages may change. */
export class AuthwireError extends Error {
  override name = 'AuthwireError';
  readonly code: AuthwireErrorCode;

  constructor(code: AuthwireErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** Works across realms and duplicate installs, unlike `instanceof`. */
export function isAuthwireError(value: unknown): value is AuthwireError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}

/** An option was missing or malformed; `option` names it. */
export class InvalidOptionsError extends AuthwireError {
  override name = 'InvalidOptionsError';
  readonly option: string;
  constructor(option: string, message: string) {
    super('invalid_options', message);
    this.option = option;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), option: this.option };
  }
}

/** A token endpoint or API origin is not HTTPS (loopback excepted). */
export class InsecureUrlError extends AuthwireError {
  override name = 'InsecureUrlError';
  readonly url: string;
  constructor(what: string, url: string) {
    super('insecure_url', `${what} must use https (http is allowed for loopback only): ${url}`);
    this.url = url;
  }
}

export interface TokenEndpointErrorDetails {
  readonly endpoint: string;
  readonly status?: number;
  /** OAuth `error` (or the provider's error code). */
  readonly error?: string;
  readonly errorDescription?: string;
  /** Whether retrying the same request may succeed (5xx, network). */
  readonly retryable: boolean;
  readonly cause?: unknown;
}

/** The token endpoint refused, failed or could not be reached. */
export class TokenEndpointError extends AuthwireError {
  override name = 'TokenEndpointError';
  readonly endpoint: string;
  readonly status: number | undefined;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly retryable: boolean;

  constructor(message: string, details: TokenEndpointErrorDetails) {
    super('token_request_failed', message, { cause: details.cause });
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.retryable = details.retryable;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      endpoint: this.endpoint,
      status: this.status,
      error: this.error,
      errorDescription: this.errorDescription,
    };
  }
}

/** The token endpoint answered 2xx with something that is not a usable token. */
export class InvalidTokenResponseError extends AuthwireError {
  override name = 'InvalidTokenResponseError';
  readonly endpoint: string;
  readonly status: number;
  constructor(endpoint: string, status: number, problem: string) {
    super(
      'invalid_token_response',
      `Invalid token response from ${endpoint} (HTTP ${status}): ${problem}`,
    );
    this.endpoint = endpoint;
    this.status = status;
  }
}

/** The token endpoint answered 429, or the manager is waiting out an earlier 429. */
export class RateLimitedError extends AuthwireError {
  override name = 'RateLimitedError';
  readonly endpoint: string;
  /** How long until a new token request may be sent, in ms. */
  readonly retryAfterMs: number;
  constructor(endpoint: string, retryAfterMs: number) {
    super(
      'rate_limited',
      `Token endpoint ${endpoint} is rate limited; retry in ${Math.ceil(retryAfterMs / 1000)} s`,
    );
    this.endpoint = endpoint;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A token request took longer than `requestTimeoutMs`. */
export class TimeoutError extends AuthwireError {
  override name = 'TimeoutError';
  constructor(what: string, ms?: number) {
    super('timeout', ms === undefined ? `${what} timed out` : `${what} timed out after ${ms} ms`);
  }
}

/** The caller's signal aborted its wait. The shared token fetch goes on for the others. */
export class AbortedError extends AuthwireError {
  override name = 'AbortedError';
  constructor(reason?: unknown) {
    super('aborted', 'The operation was aborted', { cause: reason });
  }
}

/** The manager was closed. */
export class ClosedError extends AuthwireError {
  override name = 'ClosedError';
  constructor() {
    super('closed', 'The token manager is closed');
  }
}
