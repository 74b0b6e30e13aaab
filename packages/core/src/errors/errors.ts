// Typed errors. Messages name the endpoint or option, never a secret or a token.
import { sanitizeText } from './redact.ts';

export type AuthwireErrorCode =
  | 'invalid_options'
  | 'insecure_url'
  | 'token_request_failed'
  | 'invalid_token_response'
  | 'response_too_large'
  | 'rate_limited'
  | 'endpoint_down'
  | 'timeout'
  | 'aborted'
  | 'closed';

const brand = Symbol.for('authwire.error');
/** Marks an Error whose message was scrubbed of the credentials it could carry (see `scrubbedError`). */
const scrubbedBrand = Symbol.for('authwire.scrubbed');
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Base of every error authwire throws; `code` is stable, messages may change.
 *
 * @example
 * ```ts
 * try { await auth.getToken(); } catch (error) {
 *   if (isAuthwireError(error)) log.warn(error.code, error.message);
 * }
 * ```
 */
export class AuthwireError extends Error {
  override name = 'AuthwireError';
  readonly code: AuthwireErrorCode;

  constructor(code: AuthwireErrorCode, message: string, options?: { cause?: unknown }) {
    super(
      sanitizeText(message),
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }

  /** Name, code, message and the error's own fields; never the cause (it may quote a server). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/**
 * What `util.inspect` / `console.log` show of an AuthwireError: name, code, message, `toJSON()`'s
 * fields, the stack frames and the cause chain, where a cause's text appears only when authwire
 * made or scrubbed it (an AuthwireError, or a `scrubbedError`); any other cause shows its name
 * only. Defined on the prototype, not enumerable, so node:util need not be imported.
 */
function inspectAuthwireError(
  this: AuthwireError,
  _depth: number,
  options: unknown,
  inspect?: (value: unknown, options: unknown) => string,
): string {
  const show = (error: AuthwireError): string => {
    const { name: _name, message: _message, ...fields } = error.toJSON();
    const shown = inspect ? inspect(fields, options) : JSON.stringify(fields);
    return `${error.name}: ${error.message} ${shown}`;
  };
  const frames = (this.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  let out = [show(this), ...frames].join('\n');
  let cause: unknown = this.cause;
  for (let level = 0; cause !== undefined && level < 8; level++) {
    if (isAuthwireError(cause)) {
      out += `\n  [cause]: ${show(cause)}`;
    } else if (
      cause instanceof Error &&
      (cause as unknown as Record<symbol, unknown>)[scrubbedBrand]
    ) {
      out += `\n  [cause]: ${cause.name}: ${cause.message}`;
    } else {
      const kind = cause instanceof Error ? sanitizeText(cause.name, 40) : typeof cause;
      out += `\n  [cause]: ${kind} (not shown: authwire did not scrub it)`;
      break;
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return out;
}

Object.defineProperty(AuthwireError.prototype, inspectSymbol, {
  value: inspectAuthwireError,
  writable: true,
  configurable: true,
});

/**
 * A plain Error carrying `cause`'s name, `code` and its message scrubbed by `clean` (and bounded).
 * Deeper causes keep only their name and `code` (e.g. `ECONNREFUSED`): their text was written by
 * code that knew nothing of our secrets. Use it to keep a low-level failure (a socket error
 * quoting a request) as a cause without keeping what it quotes.
 *
 * @example
 * cause: scrubbedError(networkError, (text) => scrub(text, secrets)),
 */
export function scrubbedError(
  cause: unknown,
  clean: (text: string) => string,
  level = 0,
): Error | undefined {
  if (!(cause instanceof Error) || level >= 8) return undefined;
  if (isAuthwireError(cause)) return cause;
  const rawCode = (cause as { code?: unknown }).code;
  const code =
    typeof rawCode === 'string' && /^[A-Z0-9_]{1,40}$/i.test(rawCode) ? rawCode : undefined;
  const name = sanitizeText(cause.name, 40);
  const inner = scrubbedError(cause.cause, () => '', level + 1);
  const message = level === 0 ? sanitizeText(clean(cause.message)) : (code ?? name);
  const error = new Error(message, inner ? { cause: inner } : undefined);
  error.name = name;
  if (code) Object.defineProperty(error, 'code', { value: code, enumerable: true });
  Object.defineProperty(error, scrubbedBrand, { value: true });
  return error;
}

/** Works across realms and duplicate installs, unlike `instanceof`. */
export function isAuthwireError(value: unknown): value is AuthwireError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}

/**
 * An option was missing or malformed; `option` names it.
 *
 * @example
 * ```ts
 * createTokenManager(provider, { refreshWindowMS: 1000 }); // InvalidOptionsError, option 'refreshWindowMS'
 * ```
 */
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

/**
 * A token endpoint or API origin is not HTTPS (loopback excepted).
 *
 * @example
 * ```ts
 * clientCredentials({ tokenUrl: 'http://id.example.com/token', clientId, clientSecret }); // throws
 * ```
 */
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

/**
 * The token endpoint refused, failed or could not be reached.
 *
 * @example
 * ```ts
 * if (error instanceof TokenEndpointError && error.error === 'invalid_client') rotateCredentials();
 * ```
 */
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

/**
 * The token endpoint answered 2xx with something that is not a usable token.
 *
 * @example
 * ```ts
 * if (error instanceof InvalidTokenResponseError) log.error(error.endpoint, error.status);
 * ```
 */
export class InvalidTokenResponseError extends AuthwireError {
  override name = 'InvalidTokenResponseError';
  readonly endpoint: string;
  /** The HTTP status of the answer; undefined for a token that did not come over HTTP (a store entry, a provider's return value). */
  readonly status: number | undefined;
  constructor(endpoint: string, status: number | undefined, problem: string) {
    super(
      'invalid_token_response',
      `Invalid token ${status === undefined ? '' : 'response '}from ${endpoint}${status === undefined ? '' : ` (HTTP ${status})`}: ${problem}`,
    );
    this.endpoint = endpoint;
    this.status = status;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), endpoint: this.endpoint, status: this.status };
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
  /** The limit that was exceeded, in decoded bytes. */
  readonly limitBytes: number;
  constructor(endpoint: string, status: number | undefined, limitBytes: number) {
    super(endpoint, status, `the body is larger than ${limitBytes} bytes (maxResponseBytes)`);
    this.limitBytes = limitBytes;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limitBytes: this.limitBytes };
  }
}

/**
 * The token endpoint answered 429, or the manager is waiting out an earlier 429.
 *
 * @example
 * ```ts
 * if (error instanceof RateLimitedError) retryIn(error.retryAfterMs);
 * ```
 */
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

/**
 * No token request was sent: the token endpoint's last attempt (in this process, or in the fleet
 * sharing the store) failed with a 5xx or no answer, and the endpoint's back-off runs until
 * `retryAfterMs` from now. Thrown to a refresh whose old token is still valid (callers keep it)
 * and to callers whose wait would outlast `maxRetryAfterMs`.
 *
 * @example
 * ```ts
 * if (error instanceof EndpointDownError) log.warn(`identity server down, next try in ${error.retryAfterMs} ms`);
 * ```
 */
export class EndpointDownError extends AuthwireError {
  override name = 'EndpointDownError';
  readonly endpoint: string;
  /** How long until the next token request may be sent, in ms. */
  readonly retryAfterMs: number;
  constructor(endpoint: string, retryAfterMs: number) {
    super(
      'endpoint_down',
      `Token endpoint ${endpoint} is down (its last attempt failed); next attempt in ${Math.ceil(retryAfterMs)} ms`,
    );
    this.endpoint = endpoint;
    this.retryAfterMs = retryAfterMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), endpoint: this.endpoint, retryAfterMs: this.retryAfterMs };
  }
}

/**
 * A token request took longer than `requestTimeoutMs`.
 *
 * @example
 * ```ts
 * await auth.getToken({ timeoutMs: 2_000 }); // TimeoutError after 2 s
 * ```
 */
export class TimeoutError extends AuthwireError {
  override name = 'TimeoutError';
  constructor(what: string, ms?: number) {
    super('timeout', ms === undefined ? `${what} timed out` : `${what} timed out after ${ms} ms`);
  }
}

/**
 * The caller's signal aborted its wait. The shared token fetch goes on for the others.
 *
 * @example
 * ```ts
 * await auth.getToken({ signal: AbortSignal.abort() }); // AbortedError
 * ```
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
 * ```ts
 * await auth.close();
 * await auth.getToken(); // ClosedError
 * ```
 */
export class ClosedError extends AuthwireError {
  override name = 'ClosedError';
  constructor() {
    super('closed', 'The token manager is closed');
  }
}
