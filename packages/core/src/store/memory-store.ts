// An in-memory TokenStore: no lock needed (single-flight covers one process).
import type { Clock, Token, TokenStore } from '../types.ts';

/** A token kept for less than its lifetime; most are kept as they are, until they expire. */
class Entry {
  readonly token: Token;
  readonly evictAt: number;
  constructor(token: Token, evictAt: number) {
    this.token = token;
    this.evictAt = evictAt;
  }
}

const tokenOf = (kept: Token | Entry): Token => (kept instanceof Entry ? kept.token : kept);
const evictAtOf = (kept: Token | Entry): number =>
  kept instanceof Entry ? kept.evictAt : kept.expiresAt;

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
  // A token asked to be kept at least until it expires is kept as is, until it expires (it is
  // useless after that anyway): no wrapper object per tenant (bench 4, "manager + token").
  const entries = new Map<string, Token | Entry>();
  let sweepAt = 64;
  return {
    async get(key) {
      const kept = entries.get(key);
      if (kept === undefined) return undefined;
      if (evictAtOf(kept) <= now()) {
        entries.delete(key);
        return undefined;
      }
      return tokenOf(kept);
    },
    async set(key, token, ttlMs) {
      const at = now();
      // Drops expired entries once the map has doubled since the last sweep: bounded, amortised.
      if (entries.size >= sweepAt) {
        for (const [key, kept] of entries) if (evictAtOf(kept) <= at) entries.delete(key);
        sweepAt = Math.max(64, entries.size * 2);
      }
      // A TTL that is not a finite number keeps nothing (rather than keeping it forever).
      const ttl = Number.isFinite(ttlMs) ? Math.max(0, ttlMs) : 0;
      const evictAt = at + ttl;
      // Kept as is only when it expires within the TTL on this store's clock (a store on another
      // clock than the manager's keeps the TTL it was given).
      const asIs = token.expiresAt > at && evictAt >= token.expiresAt;
      entries.set(key, asIs ? token : new Entry(token, evictAt));
    },
    async delete(key, token) {
      const kept = entries.get(key);
      if (kept === undefined || tokenOf(kept).accessToken !== token.accessToken) return false;
      entries.delete(key);
      return true;
    },
  };
}
