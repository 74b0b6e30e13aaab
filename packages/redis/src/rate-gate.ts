// The fleet-wide rate gate: a provider's declared rate limit held by every process on one Redis.
import {
  invalidOption,
  MAX_WAIT_MS,
  type RateGate,
  type RateGateAnswer,
  type RateGateRequest,
  type RateLimit,
} from '@authwire/core/kit';
import { sha256Hex } from './bytes.ts';
import type { RedisCommands } from './client-adapter.ts';
import { redisOutageGate } from './outage-gate.ts';
import { withDeadline } from './redis-store-error.ts';
import { rateGateTake } from './scripts.ts';

/** What {@link redisRateGate} needs from the store it belongs to. */
export interface RateGateDeps {
  readonly redis: RedisCommands;
  readonly prefix: string;
  /** Distinguishes fleets that share a Redis and a prefix but not an egress IP. */
  readonly rateLimitKey: string | undefined;
  readonly timeoutMs: number;
  /** Each process's share of the limit while Redis is down. */
  readonly degradedShare: number;
}

/**
 * Background refreshes keep this many slots free for callers that have no token at all:
 * a quarter of the burst, at least one (the contract of `RateGate`).
 */
export function backgroundHeadroom(capacity: number): number {
  return Math.ceil(capacity / 4);
}

const positive = (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

/** The bucket's capacity and its emission interval (ms per request) of a declared limit. */
export function gcraShape(limit: RateLimit): { capacity: number; intervalMs: number } {
  const { requests, intervalMs, burst, key } = limit ?? ({} as RateLimit);
  if (
    !positive(requests) ||
    !positive(intervalMs) ||
    (burst !== undefined && !positive(burst)) ||
    typeof key !== 'string' ||
    key === ''
  ) {
    invalidOption('rateLimit', 'needs positive requests, intervalMs and burst, and a key');
  }
  // The same reading as the core's local bucket: at least one request at a time.
  return {
    capacity: Math.max(1, Math.floor(burst ?? requests)),
    intervalMs: intervalMs / requests,
  };
}

function checkRequest(request: RateGateRequest): { maxWaitMs: number; background: boolean } {
  const { maxWaitMs, priority } = request ?? ({} as RateGateRequest);
  if (typeof maxWaitMs !== 'number' || !(maxWaitMs >= 0))
    invalidOption('maxWaitMs', 'must be >= 0');
  if (priority !== 'waiting' && priority !== 'background') {
    invalidOption('priority', "must be 'waiting' or 'background'");
  }
  // Core never waits longer than MAX_WAIT_MS; the script's horizon for a readable schedule
  // assumes no caller reserves further ahead than that.
  return {
    maxWaitMs: Math.min(maxWaitMs, MAX_WAIT_MS),
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
export function redisRateGate({
  redis,
  prefix,
  rateLimitKey,
  timeoutMs,
  degradedShare,
}: RateGateDeps): RateGate {
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
    degradedShare,
    // A token endpoint that fails is left alone by the whole fleet for the same back-off.
    outage: redisOutageGate({ redis, prefix, timeoutMs }),
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
        String(MAX_WAIT_MS),
      ];
      // A slot reserved after we gave up stays unused: a late answer only costs that slot.
      return withDeadline('rateGate', timeoutMs, [], async () =>
        toAnswer(await redis.evalIntegers(rateGateTake, key, args)),
      );
    },
  };
}
