// Token-bucket rate limiter for the Norce token endpoint, keyed per caller, on the mock's clock.

/**
 * Norce documents "max 3 requests per minute per IP address, with a possibility to burst 20 more"
 * (seeds/norce-commerce-oauth2.txt, "Rate limitations"). Read here as a token bucket: capacity
 * `perMinute + burst` (23), refilled continuously at `perMinute` per minute (one every 20 s).
 *
 * @example
 * ```ts
 * norceMock({ rateLimit: { perMinute: 3, burst: 20 } }); // the default
 * norceMock({ rateLimit: false });
 * ```
 */
export interface RateLimitOptions {
  readonly perMinute: number;
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Outcome of one request against the limiter. */
export type RateLimitDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export class TokenBucketLimiter {
  readonly #capacity: number;
  readonly #perMs: number;
  readonly #now: () => number;
  #buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions, now: () => number) {
    if (!(options.perMinute > 0) || !(options.burst >= 0)) {
      throw new RangeError('rateLimit needs perMinute > 0 and burst >= 0');
    }
    this.#capacity = options.perMinute + options.burst;
    this.#perMs = options.perMinute / 60_000;
    this.#now = now;
  }

  take(key: string): RateLimitDecision {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#capacity, updatedAt: now };
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + elapsed * this.#perMs);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.ceil((1 - bucket.tokens) / this.#perMs / 1000),
    };
  }

  reset(): void {
    this.#buckets.clear();
  }
}

/**
 * The caller key: MSW sees no socket, so the first `X-Forwarded-For` address stands in for the
 * IP; without it every caller shares one bucket.
 */
export function callerKey(request: Request): string {
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || 'shared';
}
