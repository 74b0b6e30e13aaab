// The redaction marker and the check that an adapter was handed a TokenManager.
import { InvalidOptionsError } from './errors.ts';
import type { TokenManager } from './manager-types.ts';

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
