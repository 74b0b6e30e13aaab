// A provider's persisted value (e.g. the current refresh token), kept as a store entry of its own beside the token.
import { base64url } from './fingerprint.ts';
import { StoreAccess } from './store-access.ts';
import type { ProviderState, TokenStore } from './types.ts';

/** The token type of a state entry: never one a manager accepts as an access token. */
export const STATE_TOKEN_TYPE = 'x-authwire-state';

/** The store key of `key`'s state: `#` never appears in a `cacheKey` part (each is URI-encoded). */
export function stateKey(key: string): string {
  return `${key}#state`;
}

/**
 * The state of the provider keyed `key` in `store`, through the same bounded, never-throwing calls
 * as the token. The value rides base64url-encoded (any string passes a token's checks) in a
 * `Token`'s `accessToken`, so every `TokenStore` keeps it as is (and `@authwire/redis` encrypts it
 * like a token); `expiresAt` is when the entry ends and `issuedAt` one millisecond before it (a
 * token may not claim more than 24 h; this is no token).
 */
export function providerState(
  store: TokenStore,
  key: string,
  timeoutMs: number,
  lifecycle: { readonly signal: AbortSignal },
  now: () => number,
  onError: (operation: string, error: unknown) => void,
): ProviderState {
  const access = new StoreAccess(
    store,
    stateKey(key),
    timeoutMs,
    lifecycle,
    (operation, error) => onError(`state ${operation}`, error),
    [STATE_TOKEN_TYPE],
  );
  return {
    async get() {
      const stored = (await access.get())?.accessToken;
      if (stored === undefined) return undefined;
      try {
        return decodeState(stored);
      } catch (error) {
        onError('state get', error);
        return undefined;
      }
    },
    set(value, ttlMs) {
      const expiresAt = now() + ttlMs;
      return access.set(
        {
          accessToken: base64url(new TextEncoder().encode(value)),
          tokenType: STATE_TOKEN_TYPE,
          issuedAt: expiresAt - 1,
          expiresAt,
        },
        ttlMs,
      );
    },
  };
}

function decodeState(encoded: string): string {
  const base64 = encoded.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) =>
    c.charCodeAt(0),
  );
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
