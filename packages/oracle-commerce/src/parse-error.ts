// Reads Oracle Commerce Cloud error bodies into OAuth-style fields.
import type { ParsedError } from '@authwire/core/kit';

/** A non-empty string, or a finite number as a string. */
function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Oracle's error model (docs.oracle.com REST reference, "Error messages"):
 * `{ "message": "…", "status": "401", "errorCode": "…" }` — `status` is a string — or a
 * multi-error form with `errors: [{ message, errorCode, … }]`. `errorCode` becomes `error`,
 * `message` becomes `errorDescription`. RFC 6749 `{ error, error_description }` is read too, in
 * case a proxy or a newer release answers that way.
 *
 * @example
 * ```ts
 * parseOracleError({ message: 'Unauthorized', status: '401', errorCode: '83037' });
 * // → { error: '83037', errorDescription: 'Unauthorized' }
 * ```
 */
export function parseOracleError(body: unknown): ParsedError | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const json = body as Record<string, unknown>;
  let error: string | undefined;
  let errorDescription: string | undefined;
  if (typeof json.error === 'string') {
    error = json.error;
    errorDescription = text(json.error_description);
  } else {
    const first = Array.isArray(json.errors) ? json.errors[0] : undefined;
    const nested =
      typeof first === 'object' && first !== null && !Array.isArray(first) ? first : {};
    error = text(json.errorCode) ?? text(nested.errorCode);
    errorDescription = text(json.message) ?? text(nested.message);
    if (error === undefined && errorDescription === undefined) return undefined;
  }
  return {
    ...(error === undefined ? {} : { error }),
    ...(errorDescription === undefined ? {} : { errorDescription }),
  };
}
