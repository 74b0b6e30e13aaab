// The base of every authwire error: its stable code, the cross-realm guard, what inspection shows, scrubbed causes.
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
  | 'closed'
  | 'discovery_failed'
  | 'invalid_client'
  | 'invalid_grant';

const brand = Symbol.for('authwire.error');
/** Marks an Error whose message was scrubbed of the credentials it could carry (see `scrubbedError`). */
const scrubbedBrand = Symbol.for('authwire.scrubbed');
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Base of every error authwire throws; `code` is stable, messages may change.
 *
 * @example
 * try { await auth.getToken(); } catch (error) {
 *   if (isAuthwireError(error)) log.warn(error.code, error.message);
 * }
 */
export class AuthwireError extends Error {
  override name = 'AuthwireError';
  declare readonly code: AuthwireErrorCode;
  /** The fields `toJSON()` adds to name, code and message (when defined); each class names its own. */
  static readonly fields: readonly string[] = [];

  constructor(code: AuthwireErrorCode, message: string, options?: { cause?: unknown }) {
    super(sanitizeText(message), options?.cause === undefined ? undefined : options);
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }

  /** Name, code, message and the class's `fields`; never the cause (it may quote a server). */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
    };
    for (const field of (this.constructor as typeof AuthwireError).fields) {
      const value = (this as unknown as Record<string, unknown>)[field];
      if (value !== undefined) json[field] = value;
    }
    return json;
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
    const { name, message, ...fields } = error.toJSON();
    return `${name}: ${message} ${inspect ? inspect(fields, options) : JSON.stringify(fields)}`;
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
  return typeof value === 'object' && (value as Record<symbol, unknown> | null)?.[brand] === true;
}
