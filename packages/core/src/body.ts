// Helpers the adapters share (bodies, redaction, argument checks), so each stays translation only.
import { InvalidOptionsError } from './errors.ts';
import type { TokenManager } from './manager-types.ts';

/**
 * Whether a request body can be sent a second time unchanged (for the one retry after a 401).
 * Strings, URLSearchParams, FormData, Blob, ArrayBuffer and typed arrays can; streams and
 * async iterables are one-shot and cannot.
 */
export function isReplayableBody(body: unknown): boolean {
  if (body === undefined || body === null) return true;
  if (typeof body === 'string') return true;
  if (typeof body !== 'object') return typeof body === 'number' || typeof body === 'boolean';
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return false;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return true;
  if (typeof Blob !== 'undefined' && body instanceof Blob) return true;
  if (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) return true;
  if (typeof FormData !== 'undefined' && body instanceof FormData) return true;
  // Node streams and other async iterables are consumed by the first send.
  if (typeof (body as { pipe?: unknown }).pipe === 'function') return false;
  if (Symbol.asyncIterator in body) return false;
  // A generator is iterable once only.
  if (typeof (body as { next?: unknown }).next === 'function' && Symbol.iterator in body)
    return false;
  if (typeof (body as { getReader?: unknown }).getReader === 'function') return false;
  // Plain objects and arrays (serialised to JSON by the client) replay fine.
  return true;
}

/** What replaces a credential in anything we hand back to a caller. */
export const REDACTED = '[redacted]';

/**
 * Adapters call this on the `auth` they are given, so a missing or wrong value fails at once
 * with a typed error instead of a TypeError on the first request.
 */
export function assertTokenManager(value: unknown): asserts value is TokenManager {
  const candidate = value as Partial<TokenManager> | null | undefined;
  if (
    typeof candidate?.authorize !== 'function' ||
    typeof candidate.reauthorize !== 'function' ||
    !Array.isArray(candidate.origins)
  ) {
    throw new InvalidOptionsError(
      'auth',
      'auth must be a TokenManager (from createTokenManager(), norce() or oracleCommerce())',
    );
  }
}
