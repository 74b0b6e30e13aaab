// Reads Oracle Commerce Cloud error bodies into OAuth-style fields.
import type { ParsedError } from '@authwire/core';

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
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
  const json = record(body);
  if (json === undefined) return undefined;
  if (typeof json.error === 'string') {
    const description = text(json.error_description);
    return description === undefined
      ? { error: json.error }
      : { error: json.error, errorDescription: description };
  }
  const first = Array.isArray(json.errors) ? record(json.errors[0]) : undefined;
  const error = text(json.errorCode) ?? text(first?.errorCode);
  const errorDescription = text(json.message) ?? text(first?.message);
  if (error === undefined && errorDescription === undefined) return undefined;
  return {
    ...(error === undefined ? {} : { error }),
    ...(errorDescription === undefined ? {} : { errorDescription }),
  };
}
