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
  return new MemoryStore(options.clock);
}

/** A class, so a store per manager (tests, many tenants) costs its map and no closures. */
class MemoryStore implements TokenStore {
  readonly #clock: Pick<Clock, 'now'> | undefined;
  readonly #entries = new Map<string, Entry>();
  /** Drops expired entries once the map has doubled since the last sweep: bounded, amortised. */
  #sweepAt = 64;

  constructor(clock: Pick<Clock, 'now'> | undefined) {
    this.#clock = clock;
  }

  async get(key: string): Promise<Token | undefined> {
    const entry = this.#entries.get(key);
    if (entry && entry.evictAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry?.token;
  }

  async set(key: string, token: Token, ttlMs: number): Promise<void> {
    const at = this.#now();
    this.#sweep(at);
    // A TTL that is not a finite number keeps nothing (rather than keeping it forever).
    const ttl = Number.isFinite(ttlMs) ? Math.max(0, ttlMs) : 0;
    this.#entries.set(key, { token, evictAt: at + ttl });
  }

  async delete(key: string, token: Token): Promise<boolean> {
    if (this.#entries.get(key)?.token.accessToken !== token.accessToken) return false;
    this.#entries.delete(key);
    return true;
  }

  #now(): number {
    return this.#clock ? this.#clock.now() : Date.now();
  }

  #sweep(at: number): void {
    const entries = this.#entries;
    if (entries.size < this.#sweepAt) return;
    for (const [key, entry] of entries) if (entry.evictAt <= at) entries.delete(key);
    this.#sweepAt = Math.max(64, entries.size * 2);
  }
}
