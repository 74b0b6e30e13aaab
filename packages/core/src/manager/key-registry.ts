// The process-wide part, in one visible place: the shared memory store, the per-store key entries, reference-counted close.

import { memoryStore } from '../store/memory-store.ts';
import type { Token, TokenStore } from '../types.ts';
import { KeyEntry } from './key-entry.ts';

/**
 * The store shared by every manager created without one, so a manager created per request still
 * reuses the cached token and the fetch in flight (the Azure SDK lesson). Keys bind the credential
 * (a fingerprint of the secret), so only a manager holding the same credential finds its token.
 */
export const sharedMemoryStore: TokenStore = memoryStore();

/**
 * Process-wide state by store, then by a string key. A store that is garbage collected takes its
 * values along. Key entries live here, and the rate gate's per-endpoint buckets and 429 blocks.
 */
/** A store's map is first swept at this many values. */
const SWEEP_FROM = 64;

export class PerStore<V> {
  readonly #byStore = new WeakMap<TokenStore, Map<string, V>>();
  /** The size at which a store's map is swept next (`sweep`). */
  readonly #sweepAt = new WeakMap<Map<string, V>, number>();

  get(store: TokenStore, key: string): V | undefined {
    return this.#byStore.get(store)?.get(key);
  }

  /** The value of `key` in `store`, made by `create` the first time. */
  ensure(store: TokenStore, key: string, create: () => V): V {
    let byKey = this.#byStore.get(store);
    if (!byKey) {
      byKey = new Map();
      this.#byStore.set(store, byKey);
    }
    let value = byKey.get(key);
    if (value === undefined) {
      value = create();
      byKey.set(key, value);
    }
    return value;
  }

  /**
   * Drops every value of `store` that `atRest` says carries nothing (as if never made), once the
   * values have doubled since the last sweep: amortised O(1) per value made, and the map stays
   * within twice what still carries something.
   */
  sweep(store: TokenStore, atRest: (value: V) => boolean): void {
    const byKey = this.#byStore.get(store);
    if (!byKey || byKey.size < (this.#sweepAt.get(byKey) ?? SWEEP_FROM)) return;
    for (const [key, value] of byKey) if (atRest(value)) byKey.delete(key);
    this.#sweepAt.set(byKey, Math.max(SWEEP_FROM, 2 * byKey.size));
  }

  /** Removes `key` from `store` if it still holds `value`. */
  delete(store: TokenStore, key: string, value: V): void {
    const byKey = this.#byStore.get(store);
    if (byKey?.get(key) !== value) return;
    byKey.delete(key);
    if (byKey.size === 0) this.#byStore.delete(store);
  }
}

/** Key entries, by store and cache key. */
const entries = new PerStore<KeyEntry>();

/**
 * Keys of the shared store whose last manager closed, oldest first, with the token each left:
 * the most recent few stay (a manager created and closed per request still reuses its token),
 * older ones are deleted, so tenants that come and go leave nothing behind.
 */
const closedKeys = new Map<string, Token>();
const CLOSED_KEYS_KEPT = 64;

function rememberClosed(key: string, token: Token | undefined): void {
  closedKeys.delete(key);
  if (token) closedKeys.set(key, token);
  if (closedKeys.size <= CLOSED_KEYS_KEPT) return;
  const [oldest, left] = closedKeys.entries().next().value as [string, Token];
  closedKeys.delete(oldest);
  // The memory store answers at once; it only deletes what still holds that token.
  void sharedMemoryStore.delete(oldest, left);
}

/**
 * The entry of `key` in `store`, retained for one more manager. An entry whose last manager is
 * closing has already left the registry, so a new manager starts clean instead of inheriting the
 * cancelled work of a closed one.
 */
export function retainEntry(store: TokenStore, key: string): KeyEntry {
  const entry = entries.ensure(store, key, () => new KeyEntry());
  if (store === sharedMemoryStore) closedKeys.delete(key);
  entry.retain();
  return entry;
}

/**
 * Releases one manager's hold. The last one cancels the entry's in-flight work and removes it, so
 * closed managers leave nothing behind: a given store keeps the token until its TTL, the shared
 * memory store only for the last CLOSED_KEYS_KEPT keys closed.
 */
export function releaseEntry(
  store: TokenStore,
  key: string,
  entry: KeyEntry,
  reason: Error,
): boolean {
  if (!entry.release(reason)) return false;
  entries.delete(store, key, entry);
  if (store === sharedMemoryStore) rememberClosed(key, entry.token);
  return true;
}
