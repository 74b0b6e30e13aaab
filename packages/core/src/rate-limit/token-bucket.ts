// A token bucket that keeps us under a provider's published token-endpoint rate limit.
import type { RateGateAnswer, RateLimit } from '../types.ts';

const EPSILON = 1e-9;

/** What a bucket reads of its limit: the numbers, not the key. */
export type Rate = Pick<RateLimit, 'requests' | 'intervalMs' | 'burst'>;

let lastRate: Rate = { requests: 1, intervalMs: 1 };

/**
 * The numbers of `limit`: the object the last call returned when they are the same, so the managers
 * and buckets of many tenants on one published limit keep one object, not a copy each (bench 4,
 * "manager + token", norce()).
 */
export function sharedRate({ requests, intervalMs, burst }: RateLimit): Rate {
  const last = lastRate;
  const same = last.requests === requests && last.intervalMs === intervalMs && last.burst === burst;
  if (!same) {
    lastRate = Object.freeze(
      burst === undefined ? { requests, intervalMs } : { requests, intervalMs, burst },
    );
  }
  return lastRate;
}

/** Capacity and refill rate are read from the limit, not kept (bench 4, "manager + token", norce()). */
export class TokenBucket {
  readonly #limit: Rate;
  #tokens: number;
  #updatedAt: number | undefined;

  constructor(limit: RateLimit) {
    this.#limit = sharedRate(limit);
    this.#tokens = this.capacity;
  }

  get capacity(): number {
    return Math.max(1, this.#limit.burst ?? this.#limit.requests);
  }

  get #refillPerMs(): number {
    return this.#limit.requests / this.#limit.intervalMs;
  }

  /**
   * Reserves the next slot for a caller willing to wait up to `maxWaitMs`, leaving `keep` slots
   * free when it is taken now. Reservations queue up (the bucket goes negative), so callers are
   * served in the order they asked.
   */
  reserve(now: number, maxWaitMs: number, keep = 0): RateGateAnswer {
    this.#refill(now);
    const wait = this.#wait();
    if (wait > maxWaitMs || (wait === 0 && this.#tokens - 1 < keep - EPSILON)) {
      return { admitted: false, retryAfterMs: Math.max(1, wait) };
    }
    this.#tokens -= 1;
    return { admitted: true, waitMs: wait };
  }

  /** Whether the bucket has refilled to its capacity by `now` (it is then as good as a new one). */
  isFull(now: number): boolean {
    const since = this.#updatedAt === undefined ? 0 : Math.max(0, now - this.#updatedAt);
    return this.#tokens + since * this.#refillPerMs >= this.capacity - EPSILON;
  }

  // The epsilon absorbs float error, so a caller that waited the estimate is not turned away.
  #wait(): number {
    if (this.#tokens >= 1 - EPSILON) return 0;
    return Math.max(1, Math.ceil((1 - EPSILON - this.#tokens) / this.#refillPerMs));
  }

  #refill(now: number): void {
    if (this.#updatedAt !== undefined && now > this.#updatedAt) {
      this.#tokens = Math.min(
        this.capacity,
        this.#tokens + (now - this.#updatedAt) * this.#refillPerMs,
      );
    }
    this.#updatedAt = Math.max(now, this.#updatedAt ?? now);
  }
}
