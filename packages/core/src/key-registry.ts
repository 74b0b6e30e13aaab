// The process-wide part, in one visible place: the shared memory store, the per-store key entries, reference-counted close.
import { KeyEntry } from './key-entry.ts';
import { memoryStore } from './memory-store.ts';
import type { TokenStore } from './types.ts';

/**
 * The store shared by every manager created without one, so a manager created per request still
 * reuses the cached token and the fetch in flight (the Azure SDK lesson). Keys bind the credential
 * (a fingerprint of the secret), so only a manager holding the same credential finds its token.
 */
export const sharedMemoryStore: TokenStore = memoryStore();

/** Entries by store, then by cache key. A store that is garbage collected takes its entries along. */
const entries = new WeakMap<TokenStore, Map<string, KeyEntry>>();

/**
 * The entry of `key` in `store`, retained for one more manager. An entry whose last manager is
 * closing has already left the registry, so a new manager starts clean instead of inheriting the
 * cancelled work of a closed one.
 */
export function retainEntry(store: TokenStore, key: string): KeyEntry {
  let byKey = entries.get(store);
  if (!byKey) {
    byKey = new Map();
    entries.set(store, byKey);
  }
  let entry = byKey.get(key);
  if (!entry) {
    entry = new KeyEntry();
    byKey.set(key, entry);
  }
  entry.retain();
  return entry;
}

/**
 * Releases one manager's hold. The last one cancels the entry's in-flight work and removes it, so
 * closed managers leave nothing behind (the token stays in the store until its TTL).
 */
export function releaseEntry(
  store: TokenStore,
  key: string,
  entry: KeyEntry,
  reason: Error,
): boolean {
  if (!entry.release(reason)) return false;
  const byKey = entries.get(store);
  if (byKey?.get(key) === entry) byKey.delete(key);
  if (byKey?.size === 0) entries.delete(store);
  return true;
}
