// Token-bucket rate limiter for the Norce token endpoint, one bucket per client IP, on the mock's clock.

/**
 * Norce documents "max 3 requests per minute per IP address, with a possibility to burst 20 more"
 * (seeds/norce-commerce-oauth2.txt, "Rate limitations"). Read here as a token bucket per client IP:
 * capacity `perMinute + burst` (23), refilled continuously at `perMinute` per minute (one every
 * 20 s). Give `perSecond` instead of `perMinute` to run the same shape faster (3 per second + 20:
 * a CI-sized schedule); scale the client's declared limit the same way.
 *
 * @example
 * ```ts
 * norceMock({ rateLimit: { perMinute: 3, burst: 20 } }); // the default: per client IP
 * norceMock({ rateLimit: { perSecond: 3, burst: 20, nat: true } }); // sped up, one egress IP
 * norceMock({ rateLimit: false });
 * ```
 */
export interface RateLimitOptions {
  /** Requests per minute in steady state (Norce: 3). Give this or `perSecond`. */
  readonly perMinute?: number;
  /** Requests per second in steady state: the documented limit sped up for tests. */
  readonly perSecond?: number;
  /** Requests allowed at once beyond the steady rate (Norce: 20). */
  readonly burst: number;
  /**
   * Every caller shares one bucket, as processes behind one NAT / egress IP do. Default false:
   * one bucket per client IP (the first `X-Forwarded-For` address, else the socket peer under
   * `serveMock`).
   */
  readonly nat?: boolean;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Outcome of one request against the limiter. */
export type RateLimitDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

function refillPerMs(options: RateLimitOptions): number {
  const { perMinute, perSecond } = options;
  if ((perMinute === undefined) === (perSecond === undefined)) {
    throw new RangeError('rateLimit needs exactly one of perMinute and perSecond');
  }
  const perMs = perMinute === undefined ? (perSecond ?? 0) / 1_000 : perMinute / 60_000;
  if (!(perMs > 0) || !Number.isFinite(perMs)) {
    throw new RangeError('rateLimit needs perMinute > 0 or perSecond > 0');
  }
  return perMs;
}

export class TokenBucketLimiter {
  readonly #capacity: number;
  readonly #perMs: number;
  readonly #now: () => number;
  readonly #nat: boolean;
  #buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions, now: () => number) {
    this.#perMs = refillPerMs(options);
    if (!(options.burst >= 0) || !Number.isFinite(options.burst)) {
      throw new RangeError('rateLimit needs burst >= 0');
    }
    // "N per interval, burst M more": N + M at once (the steady rate's share plus the burst).
    this.#capacity = (options.perMinute ?? options.perSecond ?? 0) + options.burst;
    this.#now = now;
    this.#nat = options.nat === true;
  }

  /** Takes one request for `request`'s caller (its IP, or the one shared IP in NAT mode). */
  take(request: Request): RateLimitDecision {
    const key = this.#nat ? 'nat' : callerKey(request);
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

// The socket address serveMock saw for each request it hands to the handlers.
const socketAddresses = new WeakMap<Request, string>();

/** Records the peer address of the connection `request` came on (serveMock does this). */
export function rememberClientAddress(request: Request, address: string | undefined): void {
  if (address) socketAddresses.set(request, address.replace(/^::ffff:/, ''));
}

/**
 * The caller's IP: the first `X-Forwarded-For` address when there is one (how a test models
 * callers on several IPs, as a load balancer in front of Norce would report them), else the
 * socket's peer address when served over HTTP by `serveMock`, else `'unknown'` (in-process MSW
 * sees no socket: all such callers share one bucket).
 */
export function callerKey(request: Request): string {
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || socketAddresses.get(request) || 'unknown';
}
