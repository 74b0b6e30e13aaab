// The fleet-wide rate gate: a provider's declared rate limit held by every process on one Redis.
import { InvalidOptionsError, type RateLimit } from '@authwire/core';
import type { RateGate, RateGateAnswer, RateGateRequest } from '@authwire/core/kit';
import { sha256Hex } from './bytes.ts';
import type { RedisCommands } from './client-adapter.ts';
import { withDeadline } from './redis-store-error.ts';
import { rateGateTake } from './scripts.ts';

/** What {@link redisRateGate} needs from the store it belongs to. */
export interface RateGateDeps {
  readonly redis: RedisCommands;
  readonly prefix: string;
  /** Distinguishes fleets that share a Redis and a prefix but not an egress IP. */
  readonly rateLimitKey: string | undefined;
  readonly timeoutMs: number;
}

/**
 * Background refreshes keep this many slots free for callers that have no token at all:
 * a quarter of the burst, at least one (the contract of `RateGate`).
 */
export function backgroundHeadroom(capacity: number): number {
  return Math.ceil(capacity / 4);
}

/** The bucket's capacity and its emission interval (ms per request) of a declared limit. */
export function gcraShape(limit: RateLimit): { capacity: number; intervalMs: number } {
  const valid = (value: unknown): value is number =>
    typeof value === 'number' && Number.isFinite(value) && value > 0;
  if (typeof limit !== 'object' || limit === null) {
    throw new InvalidOptionsError('rateLimit', 'rateLimit must be an object');
  }
  if (!valid(limit.requests) || !valid(limit.intervalMs)) {
    throw new InvalidOptionsError(
      'rateLimit',
      'rateLimit needs positive finite requests and intervalMs',
    );
  }
  if (limit.burst !== undefined && !valid(limit.burst)) {
    throw new InvalidOptionsError('rateLimit', 'rateLimit.burst must be a positive finite number');
  }
  if (typeof limit.key !== 'string' || limit.key === '') {
    throw new InvalidOptionsError('rateLimit', 'rateLimit.key must be a non-empty string');
  }
  return {
    // The same reading as the core's local bucket: at least one request at a time.
    capacity: Math.max(1, Math.floor(limit.burst ?? limit.requests)),
    intervalMs: limit.intervalMs / limit.requests,
  };
}

function checkRequest(request: RateGateRequest): { maxWaitMs: number; background: boolean } {
  if (typeof request !== 'object' || request === null) {
    throw new InvalidOptionsError('request', 'take needs { maxWaitMs, priority }');
  }
  const { maxWaitMs, priority } = request;
  if (typeof maxWaitMs !== 'number' || Number.isNaN(maxWaitMs) || maxWaitMs < 0) {
    throw new InvalidOptionsError('maxWaitMs', 'maxWaitMs must be a number >= 0');
  }
  if (priority !== 'waiting' && priority !== 'background') {
    throw new InvalidOptionsError('priority', "priority must be 'waiting' or 'background'");
  }
  // Lua reads numbers from strings; an unbounded wait becomes a very long one.
  return {
    maxWaitMs: Math.min(maxWaitMs, Number.MAX_SAFE_INTEGER),
    background: priority === 'background',
  };
}

function toAnswer([admitted, ms]: number[]): RateGateAnswer {
  if (ms === undefined || ms < 0 || (admitted !== 0 && admitted !== 1)) {
    throw new TypeError('unexpected rate gate reply');
  }
  return admitted === 1 ? { admitted: true, waitMs: ms } : { admitted: false, retryAfterMs: ms };
}

/**
 * A `RateGate` on Redis: one `EVAL` per token request (GCRA with reservation, see
 * `rateGateTake`), bounded by `commandTimeoutMs`. A failure or timeout rejects with a
 * `RedisStoreError` (`operation: 'rateGate'`); the manager then uses its per-process bucket.
 *
 * The bucket is `${prefix}rate:<sha256(limit key)>`, or of `rateLimitKey + limit key` when a
 * `rateLimitKey` is set. Limits like Norce's are per egress IP: fleets on different IPs that
 * share a Redis need different prefixes or rate-limit keys, or they split one IP's budget.
 * Every process should declare the same limit for one endpoint: the stored schedule is read
 * with each caller's own interval and burst.
 *
 * A Redis that restarts empty forgets the schedule: the next callers get a full burst, whatever
 * the identity server still remembers of the last one.
 */
export function redisRateGate({ redis, prefix, rateLimitKey, timeoutMs }: RateGateDeps): RateGate {
  // Limit keys are few (one per identity endpoint); hashing each once keeps take to one round trip.
  const bucketKeys = new Map<string, Promise<string>>();
  const bucketKey = (limitKey: string): Promise<string> => {
    let key = bucketKeys.get(limitKey);
    if (key === undefined) {
      if (bucketKeys.size >= 1_000) bucketKeys.clear();
      const scoped = rateLimitKey === undefined ? limitKey : `${rateLimitKey}\n${limitKey}`;
      key = sha256Hex(scoped).then((hash) => `${prefix}rate:${hash}`);
      bucketKeys.set(limitKey, key);
    }
    return key;
  };

  return {
    async take(limit: RateLimit, request: RateGateRequest): Promise<RateGateAnswer> {
      const { capacity, intervalMs } = gcraShape(limit);
      const { maxWaitMs, background } = checkRequest(request);
      const key = await bucketKey(limit.key);
      const args = [
        String(intervalMs),
        String(capacity),
        String(maxWaitMs),
        background ? '1' : '0',
        String(backgroundHeadroom(capacity)),
      ];
      // A slot reserved after we gave up stays unused: a late answer only costs that slot.
      return withDeadline('rateGate', timeoutMs, [], async () =>
        toAnswer(await redis.evalIntegers(rateGateTake, key, args)),
      );
    },
  };
}
