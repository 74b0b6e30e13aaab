// A token bucket that keeps us under a provider's published token-endpoint rate limit.
import type { RateLimit } from './types.ts';

const EPSILON = 1e-9;

export class TokenBucket {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  #tokens: number;
  #updatedAt: number | undefined;

  constructor(limit: RateLimit) {
    this.#capacity = Math.max(1, limit.burst ?? limit.requests);
    this.#refillPerMs = limit.requests / limit.intervalMs;
    this.#tokens = this.#capacity;
  }

  /** Takes one request slot; returns 0 when taken, else the ms until one is free. */
  take(now: number): number {
    if (this.#updatedAt !== undefined && now > this.#updatedAt) {
      this.#tokens = Math.min(
        this.#capacity,
        this.#tokens + (now - this.#updatedAt) * this.#refillPerMs,
      );
    }
    this.#updatedAt = Math.max(now, this.#updatedAt ?? now);
    // The epsilon absorbs float error, so a caller that waited the estimate is not turned away.
    if (this.#tokens >= 1 - EPSILON) {
      this.#tokens = Math.max(0, this.#tokens - 1);
      return 0;
    }
    return Math.max(1, Math.ceil((1 - EPSILON - this.#tokens) / this.#refillPerMs));
  }
}
