// The default TokenStore: in memory, no lock needed (single-flight covers one process).
import type { Token, TokenStore } from './types.ts';

interface Entry {
  readonly token: Token;
  readonly evictAt: number;
}

/**
 * A fresh in-memory store. Managers created without a `store` share one process-wide instance,
 * so a manager created per request still reuses the cached token and the in-flight fetch.
 *
 * @example
 * const auth = createTokenManager(provider, { origins, store: memoryStore() });
 */
export function memoryStore(): TokenStore {
  const entries = new Map<string, Entry>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (entry && entry.evictAt <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry?.token;
    },
    async set(key, token, ttlMs) {
      entries.set(key, { token, evictAt: Date.now() + Math.max(0, ttlMs) });
    },
    async delete(key, token) {
      if (entries.get(key)?.token.accessToken !== token.accessToken) return false;
      entries.delete(key);
      return true;
    },
  };
}

/** The store shared by every manager created without one. */
export const sharedMemoryStore: TokenStore = memoryStore();
