// Per-cache-key runtime state, shared by every manager in the process that uses the same store and key.
import { TokenBucket } from './token-bucket.ts';
import type { RateLimit, Token, TokenStore } from './types.ts';

export interface KeyState {
  /** The token this process uses (L1 in front of the store). */
  token: Token | undefined;
  /** Per-token jitter in [0, 1), so a fleet does not refresh in lockstep. */
  jitter: number;
  /** The one token fetch in flight for this key. */
  inflight: Promise<Token> | undefined;
  /** No background refresh before this time (back-off after a failed one). */
  nextBackgroundAt: number;
  backgroundFailures: number;
  /** No token request before this time (after a 429). */
  blockedUntil: number;
  /**
   * Access tokens a server rejected lately. A slow store may still hand one back after the
   * compare-and-delete was sent; it is never adopted again.
   */
  rejected: Set<string>;
  /** Open managers using this state; when none is left, in-flight work is cancelled. */
  managers: number;
  lifecycle: AbortController;
}

const states = new WeakMap<TokenStore, Map<string, KeyState>>();
const buckets = new WeakMap<TokenStore, Map<string, TokenBucket>>();

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function forStore<V>(
  registry: WeakMap<TokenStore, Map<string, V>>,
  store: TokenStore,
): Map<string, V> {
  let byKey = registry.get(store);
  if (!byKey) {
    byKey = new Map();
    registry.set(store, byKey);
  }
  return byKey;
}

export function keyState(store: TokenStore, key: string): KeyState {
  return getOrCreate(forStore(states, store), key, () => ({
    token: undefined,
    jitter: 0,
    inflight: undefined,
    nextBackgroundAt: 0,
    backgroundFailures: 0,
    blockedUntil: 0,
    rejected: new Set(),
    managers: 0,
    lifecycle: new AbortController(),
  }));
}

/** Rate limits are per provider endpoint (they are per IP), shared across keys of one store. */
export function rateBucket(store: TokenStore, limit: RateLimit): TokenBucket {
  return getOrCreate(forStore(buckets, store), limit.key, () => new TokenBucket(limit));
}
