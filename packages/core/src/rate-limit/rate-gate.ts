// The rate gate: the declared rate limit (a per-process bucket or the store's fleet-wide gate) and 429 blocking.
import { isAuthwireError } from '../errors/errors.ts';
import { PerStore } from '../manager/key-registry.ts';
import { MAX_WAIT_MS } from '../options/settings.ts';
import { isRecord } from '../options/validate.ts';
import type { RateGateAnswer, RateLimit, RateLimitSource, TokenStore } from '../types.ts';
import { capWait } from './backoff.ts';
import { TokenBucket } from './token-bucket.ts';

/**
 * Per store, by limit key (the endpoint: limits and 429s are per IP): the process's bucket and the
 * 429 block, in one object (bench 4, "manager + token", norce()). With a fleet gate the bucket
 * holds this process's share of the limit, drawn from only while the gate is down. A provider
 * without a declared limit is blocked by its own cache key; its record's bucket is never drawn from.
 */
class Endpoint extends TokenBucket {
  blockedUntil = 0;
  blockedFor = 0;
}
/** Two maps, so no endpoint keeps a prefixed copy of its key (bench 4, "manager + token", norce()). */
const byLimitKey = new PerStore<Endpoint>();
const byCacheKey = new PerStore<Endpoint>();
const NO_LIMIT: RateLimit = { key: '', requests: 1, intervalMs: 1 };

/**
 * The endpoint's record, made on first use. Making one sweeps the records at rest (`isAtRest`), so
 * the endpoints of tenants long closed do not pile up.
 */
function endpointOf(
  store: TokenStore,
  limit: RateLimit | undefined,
  cacheKey: string,
  now: number,
) {
  const endpoints = limit ? byLimitKey : byCacheKey;
  return endpoints.ensure(store, limit?.key ?? cacheKey, () => {
    endpoints.sweep(store, (endpoint) => isAtRest(endpoint, now));
    const fleet = store.rateGate;
    return new Endpoint(
      limit && fleet ? scaled(limit, fleet.degradedShare ?? 1) : (limit ?? NO_LIMIT),
    );
  });
}

/** A record that says nothing a new one would not: no 429 block running, its bucket full again. */
function isAtRest(endpoint: Endpoint, now: number): boolean {
  return endpoint.blockedUntil <= now && endpoint.isFull(now);
}

export interface AdmitRequest {
  readonly store: TokenStore;
  readonly limit: RateLimit | undefined;
  /** The cache key, for a provider that declares no limit. */
  readonly cacheKey: string;
  /** Monotonic ms. */
  readonly now: number;
  /** The longest wait for a server's 429 to pass (`maxRetryAfterMs`); 0 for a background refresh. */
  readonly maxBlockWaitMs: number;
  /** The longest wait for a slot under the declared limit (the request timeout); 0 for a background refresh. */
  readonly maxSlotWaitMs: number;
  readonly background: boolean;
  readonly onStoreError: (operation: string, error: unknown) => void;
}

/** The wait before a token request may be sent, or why it may not be sent at all. */
export type Admission =
  | { readonly admitted: true; readonly waitMs: number; readonly source: RateLimitSource }
  | { readonly admitted: false; readonly retryAfterMs: number; readonly source: RateLimitSource };

/** The endpoint a block or an outage is kept for: the declared limit's key (limits and 429s are per IP), else the cache key. */
export function blockKey(limit: RateLimit | undefined, cacheKey: string): string {
  return limit ? `limit:${limit.key}` : `key:${cacheKey}`;
}

/** After a 429: no token request to this endpoint for `retryAfterMs` (capped at MAX_WAIT_MS). */
export function onRateLimited(
  store: TokenStore,
  limit: RateLimit | undefined,
  cacheKey: string,
  now: number,
  retryAfterMs: number,
): void {
  const endpoint = endpointOf(store, limit, cacheKey, now);
  endpoint.blockedFor = capWait(retryAfterMs);
  endpoint.blockedUntil = Math.max(endpoint.blockedUntil, now + endpoint.blockedFor);
}

/** How long the endpoint stays blocked by a 429 (never longer than the 429 asked for). */
export function blockedFor(
  store: TokenStore,
  limit: RateLimit | undefined,
  cacheKey: string,
  now: number,
): number {
  const endpoint = (limit ? byLimitKey : byCacheKey).get(store, limit?.key ?? cacheKey);
  if (!endpoint) return 0;
  return Math.min(endpoint.blockedFor, Math.max(0, endpoint.blockedUntil - now));
}

/**
 * A slot for one token request: past any 429 block, then under the declared limit (a retry goes
 * through the limit too). Waits are on a monotonic clock and capped, so neither a clock step nor
 * a huge Retry-After parks an endpoint.
 */
export async function admit(request: AdmitRequest): Promise<Admission> {
  const { store, limit, cacheKey, now } = request;
  const blocked = blockedFor(store, limit, cacheKey, now);
  if (blocked > request.maxBlockWaitMs) {
    return { admitted: false, retryAfterMs: blocked, source: 'server' };
  }
  if (!limit) {
    return { admitted: true, waitMs: blocked, source: blocked > 0 ? 'server' : 'bucket' };
  }
  const slot = await reserve(request, limit);
  if (!slot.admitted || slot.waitMs >= blocked) return slot;
  return { admitted: true, waitMs: blocked, source: 'server' };
}

async function reserve(request: AdmitRequest, limit: RateLimit): Promise<Admission> {
  const { store, background } = request;
  const ask = {
    maxWaitMs: background ? 0 : request.maxSlotWaitMs,
    priority: background ? ('background' as const) : ('waiting' as const),
  };
  const endpoint = endpointOf(store, limit, request.cacheKey, request.now);
  const fleet = store.rateGate;
  if (fleet) {
    try {
      const answer = readable(await fleet.take(limit, ask));
      // An answer that is not one (NaN, Infinity, a string, null) counts as the gate failing.
      if (answer === undefined) throw new TypeError('the rate gate answered something unreadable');
      return withSource(answer, 'fleet', ask.maxWaitMs);
    } catch (error) {
      // A gate refusing the limit itself is a configuration error, not a store on a bad day:
      // the caller gets it as it is, rather than a store_error and a bucket built on that limit.
      if (isAuthwireError(error) && error.code === 'invalid_options') throw error;
      // Degrade to this process's share of the limit, never to unlimited.
      request.onStoreError('rateGate', error);
    }
  }
  return local(endpoint, request, ask.maxWaitMs);
}

function local(bucket: TokenBucket, request: AdmitRequest, maxWaitMs: number): Admission {
  // A background refresh leaves a quarter of the burst for callers that have no token at all.
  const keep = request.background ? Math.ceil(bucket.capacity / 4) : 0;
  return withSource(bucket.reserve(request.now, maxWaitMs, keep), 'bucket', maxWaitMs);
}

function scaled(limit: RateLimit, share: number): RateLimit {
  const s = Number.isFinite(share) && share > 0 && share <= 1 ? share : 1;
  const burst = Math.max(1, Math.floor((limit.burst ?? limit.requests) * s));
  return { ...limit, requests: limit.requests * s, burst };
}

/** `answer` when it is a well-formed RateGateAnswer (a finite, non-negative wait), else undefined. */
function readable(answer: unknown): RateGateAnswer | undefined {
  if (!isRecord(answer)) return undefined;
  const { admitted, waitMs, retryAfterMs } = answer;
  const finite = (ms: unknown): ms is number => typeof ms === 'number' && Number.isFinite(ms);
  if (admitted === true && finite(waitMs)) return { admitted: true, waitMs: Math.max(0, waitMs) };
  if (admitted === false && finite(retryAfterMs)) return { admitted: false, retryAfterMs };
  return undefined;
}

/**
 * An answer as an admission the caller can live with: waits at most MAX_WAIT_MS, and an admission
 * further away than the caller said it would wait (`maxWaitMs`: at most its request timeout) is a
 * refusal, never a sleep past it.
 */
function withSource(answer: RateGateAnswer, source: RateLimitSource, maxWaitMs: number): Admission {
  if (answer.admitted && answer.waitMs <= maxWaitMs) {
    return { admitted: true, waitMs: capWait(answer.waitMs), source };
  }
  const ms = answer.admitted ? answer.waitMs : answer.retryAfterMs;
  return { admitted: false, retryAfterMs: Math.min(MAX_WAIT_MS, Math.max(1, ms)), source };
}
