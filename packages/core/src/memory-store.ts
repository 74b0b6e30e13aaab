// An in-memory TokenStore: no lock needed (single-flight covers one process).
import type { Clock, Token, TokenStore } from './types.ts';

interface Entry {
  readonly token: Token;
  readonly evictAt: number;
}

export interface MemoryStoreOptions {
  /** Judges the TTL; default `Date.now`. Pass the manager's clock when you inject one. */
  readonly clock?: Pick<Clock, 'now'>;
}

/**
 * A fresh in-memory store. Managers created without a `store` share one process-wide instance,
 * so a manager created per request still reuses the cached token and the in-flight fetch. Give
 * each test its own (`store: memoryStore()`) so no token outlives the test that fetched it.
 *
 * @example
 * const auth = createTokenManager(provider, { origins, store: memoryStore() });
 */
export function memoryStore(options: MemoryStoreOptions = {}): TokenStore {
  const clock = options.clock;
  const now = clock ? () => clock.now() : () => Date.now();
  const entries = new Map<string, Entry>();
  /** Drops expired entries once the map has doubled since the last sweep: bounded, amortised. */
  let sweepAt = 64;
  const sweep = (at: number): void => {
    if (entries.size < sweepAt) return;
    for (const [key, entry] of entries) if (entry.evictAt <= at) entries.delete(key);
    sweepAt = Math.max(64, entries.size * 2);
  };
  return {
    async get(key) {
      const entry = entries.get(key);
      if (entry && entry.evictAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry?.token;
    },
    async set(key, token, ttlMs) {
      const at = now();
      sweep(at);
      // A TTL that is not a finite number keeps nothing (rather than keeping it forever).
      const ttl = Number.isFinite(ttlMs) ? Math.max(0, ttlMs) : 0;
      entries.set(key, { token, evictAt: at + ttl });
    },
    async delete(key, token) {
      if (entries.get(key)?.token.accessToken !== token.accessToken) return false;
      entries.delete(key);
      return true;
    },
  };
}
