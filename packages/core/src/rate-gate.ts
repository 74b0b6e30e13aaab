// The rate gate: the declared rate limit (a per-process bucket or the store's fleet-wide gate) and 429 blocking.
import { RateLimitedError } from './errors.ts';
import { MAX_WAIT_MS } from './settings.ts';
import { TokenBucket } from './token-bucket.ts';
import type { RateGateAnswer, RateLimit, RateLimitSource, TokenStore } from './types.ts';

/** Buckets are per endpoint (limits are per IP), shared by every key of one store in this process. */
const buckets = new WeakMap<TokenStore, Map<string, TokenBucket>>();

function bucketFor(store: TokenStore, limit: RateLimit): TokenBucket {
  let byLimit = buckets.get(store);
  if (!byLimit) {
    byLimit = new Map();
    buckets.set(store, byLimit);
  }
  let bucket = byLimit.get(limit.key);
  if (!bucket) {
    bucket = new TokenBucket(limit);
    byLimit.set(limit.key, bucket);
  }
  return bucket;
}

export interface AdmitRequest {
  readonly store: TokenStore;
  readonly limit: RateLimit | undefined;
  /** Monotonic ms. */
  readonly now: number;
  readonly maxWaitMs: number;
  readonly background: boolean;
  readonly onStoreError: (operation: string, error: unknown) => void;
}

/** The wait before a token request may be sent, or why it may not be sent at all. */
export type Admission =
  | { readonly admitted: true; readonly waitMs: number; readonly source: RateLimitSource }
  | { readonly admitted: false; readonly retryAfterMs: number; readonly source: RateLimitSource };

/**
 * Blocks a key after a 429 and admits token requests under the provider's declared limit. Waits
 * are on a monotonic clock and capped, so neither a clock step nor a huge Retry-After parks a key.
 */
export class RateGate {
  #blockedUntil = 0;
  #blockedFor = 0;

  /** After a 429: no token request for `retryAfterMs` (capped at MAX_WAIT_MS). */
  onRateLimited(now: number, retryAfterMs: number): void {
    this.#blockedFor = Math.min(MAX_WAIT_MS, Math.max(0, retryAfterMs));
    this.#blockedUntil = Math.max(this.#blockedUntil, now + this.#blockedFor);
  }

  /** How long the key stays blocked by a 429 (never longer than the 429 asked for). */
  blockedFor(now: number): number {
    return Math.min(this.#blockedFor, Math.max(0, this.#blockedUntil - now));
  }

  /** A slot for one token request: after a 429's wait, then under the declared limit. */
  async admit(request: AdmitRequest): Promise<Admission> {
    const blocked = this.blockedFor(request.now);
    if (blocked > 0) {
      return blocked > request.maxWaitMs
        ? { admitted: false, retryAfterMs: blocked, source: 'server' }
        : { admitted: true, waitMs: blocked, source: 'server' };
    }
    const { limit } = request;
    if (!limit) return { admitted: true, waitMs: 0, source: 'bucket' };
    const ask = {
      maxWaitMs: request.background ? 0 : request.maxWaitMs,
      priority: request.background ? ('background' as const) : ('waiting' as const),
    };
    const fleet = request.store.rateGate;
    if (fleet) {
      try {
        return withSource(await fleet.take(limit, ask), 'fleet');
      } catch (error) {
        // Degrade to this process's bucket, never to unlimited.
        request.onStoreError('rateGate', error);
      }
    }
    const bucket = bucketFor(request.store, limit);
    const keep = request.background ? Math.ceil(bucket.capacity / 4) : 0;
    return withSource(bucket.reserve(request.now, ask.maxWaitMs, keep), 'bucket');
  }
}

function withSource(answer: RateGateAnswer, source: RateLimitSource): Admission {
  if (answer.admitted) {
    const waitMs = Number.isFinite(answer.waitMs) ? Math.max(0, answer.waitMs) : MAX_WAIT_MS;
    return { admitted: true, waitMs: Math.min(waitMs, MAX_WAIT_MS), source };
  }
  const retryAfterMs = Number.isFinite(answer.retryAfterMs) ? answer.retryAfterMs : MAX_WAIT_MS;
  return {
    admitted: false,
    retryAfterMs: Math.min(MAX_WAIT_MS, Math.max(1, retryAfterMs)),
    source,
  };
}

/** The error for a request that may not be sent: the endpoint is named by its readable label. */
export function rateLimitedError(label: string, retryAfterMs: number): RateLimitedError {
  return new RateLimitedError(label, retryAfterMs);
}
