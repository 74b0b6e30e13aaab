// A provider's persisted value (e.g. the current refresh token), kept as a store entry of its own beside the token.

import type { TokenStore } from '../types.ts';
import { boundedStore } from './store-access.ts';

/**
 * A provider's persisted value: one string per cache key, kept in the manager's `TokenStore` as
 * an entry of its own (key `<provider key>#state`, token type `x-authwire-state`, the value
 * URI-encoded in `accessToken`, so every store keeps it as is and one that encrypts encrypts it
 * like a token). Every call is bounded by the store timeout and never throws: a failing store
 * reads as `undefined` and emits `store_error`.
 */
export interface ProviderState {
  get(): Promise<string | undefined>;
  /** Keeps `value` for `ttlMs` (it may outlive the token by far). */
  set(value: string, ttlMs: number): Promise<void>;
}

/** The token type of a state entry: never one a manager accepts as an access token. */
const STATE_TOKEN_TYPE = 'x-authwire-state';

/**
 * The state of the provider keyed `key` in `store`, through the same bounded calls as the token.
 * Its `expiresAt` is when the entry ends and `issuedAt` one millisecond before it (a token may not
 * claim more than 24 h; this is no token).
 */
export function providerState(
  store: TokenStore,
  key: string,
  timeoutMs: number,
  lifecycle: { readonly signal: AbortSignal },
  now: () => number,
  onError: (operation: string, error: unknown) => void,
): ProviderState {
  const access = boundedStore(
    store,
    // `#` never appears in a `cacheKey` part (each is URI-encoded).
    `${key}#state`,
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
        return decodeURIComponent(stored);
      } catch (error) {
        onError('state get', error);
        return undefined;
      }
    },
    set(value, ttlMs) {
      let accessToken: string;
      try {
        accessToken = encodeURIComponent(value);
      } catch (error) {
        // A lone surrogate: not storable. Never throws, like every store call.
        onError('state set', error);
        return Promise.resolve();
      }
      const expiresAt = now() + ttlMs;
      const entry = {
        accessToken,
        tokenType: STATE_TOKEN_TYPE,
        issuedAt: expiresAt - 1,
        expiresAt,
      };
      return access.set(entry, ttlMs);
    },
  };
}
