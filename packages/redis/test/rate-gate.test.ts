// The fleet rate gate on a real Redis (both clients): order, reservation, background headroom,
// Redis' clock; and with fake clients: one round trip per take, bounded failures, bad input.
import { InvalidOptionsError } from '@authwire/core';
import type { RateGate, RateGateAnswer, RateLimit } from '@authwire/core/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisClientLike, RedisStoreError, redisStore } from '../src/index.ts';
import {
  clientFactories,
  deleteKeys,
  requireRedisUrl,
  skipRedis,
  type TestClient,
  uniquePrefix,
} from './redis-env.ts';

let limitCounter = 0;
/** Norce's declared limit (3 per interval, burst 20) on an endpoint no other test uses. */
function norceLimit(intervalMs = 60_000): RateLimit {
  limitCounter += 1;
  return {
    requests: 3,
    intervalMs,
    burst: 20,
    key: `https://tenant-${limitCounter}.api-se.stage.norce.tech`,
  };
}

const waiting = (maxWaitMs: number) => ({ maxWaitMs, priority: 'waiting' as const });
const background = { maxWaitMs: 0, priority: 'background' as const };

function waits(answers: readonly RateGateAnswer[]): number[] {
  return answers.map((answer) => {
    if (!answer.admitted) throw new Error(`not admitted: retry in ${answer.retryAfterMs} ms`);
    return answer.waitMs;
  });
}

async function takeMany(gate: RateGate, limit: RateLimit, count: number, maxWaitMs = 600_000) {
  return Promise.all(Array.from({ length: count }, () => gate.take(limit, waiting(maxWaitMs))));
}

/** The bucket key `redisStore` uses for `limit` (sha256 of the scoped limit key). */
async function bucketKey(test: TestClient, prefix: string, limitKey: string): Promise<string> {
  const keys = (await test.command(['KEYS', `${prefix}rate:*`])) as string[];
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256').update(limitKey).digest('hex');
  const key = `${prefix}rate:${hash}`;
  expect(keys).toContain(key);
  return key;
}

async function redisNowMs(test: TestClient): Promise<number> {
  const [seconds, micros] = (await test.command(['TIME'])) as [string, string];
  return Number(seconds) * 1000 + Number(micros) / 1000;
}

for (const factory of clientFactories) {
  describe.skipIf(skipRedis)(`redis rate gate (${factory.name})`, () => {
    let test: TestClient;
    const prefix = uniquePrefix();
    let gate: RateGate;

    beforeAll(async () => {
      test = await factory.connect(requireRedisUrl());
      gate = redisStore({ client: test.client, prefix }).rateGate!;
    });
    afterAll(async () => {
      if (test) await deleteKeys(test, prefix);
      await test?.close();
    });

    it('does admit the burst at once, then one caller every interval / requests, in order asked', async () => {
      const limit = norceLimit(60_000);
      const answers = await takeMany(gate, limit, 25);
      const ms = waits(answers);
      expect(ms.slice(0, 20)).toEqual(Array(20).fill(0));
      // One every 20 s: the 21st caller 20 s out, the 25th 100 s, each slot for exactly one caller.
      // The script rounds up and time passes between calls, so each wait may be a few ms short.
      for (const [i, wait] of ms.slice(20).entries()) {
        expect(wait).toBeGreaterThan((i + 1) * 20_000 - 1_000);
        expect(wait).toBeLessThanOrEqual((i + 1) * 20_000);
      }
      // Reservation order is the order the takes reached Redis (here: the order of the calls).
      expect([...ms].sort((a, b) => a - b)).toEqual(ms);
    });

    it('does reserve nothing for a caller whose slot is further than maxWaitMs', async () => {
      const limit = norceLimit(60_000);
      await takeMany(gate, limit, 20);
      const refused = await gate.take(limit, waiting(5_000));
      expect(refused.admitted).toBe(false);
      if (refused.admitted) return;
      expect(refused.retryAfterMs).toBeGreaterThan(19_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(20_000);
      // The refused caller took nothing: the next one gets that same first slot, not the second.
      const next = await gate.take(limit, waiting(60_000));
      expect(next.admitted).toBe(true);
      if (next.admitted) expect(next.waitMs).toBeLessThanOrEqual(20_000);
      expect(next.admitted && next.waitMs).toBeGreaterThan(19_000);
    });

    it('does admit a background refresh only with a slot free now and a quarter of the burst left after it', async () => {
      const limit = norceLimit(60_000);
      // 20 slots, headroom ceil(20 / 4) = 5: background needs 6 free.
      expect(await gate.take(limit, background)).toEqual({ admitted: true, waitMs: 0 });
      await takeMany(gate, limit, 13); // 6 left
      expect(await gate.take(limit, background)).toEqual({ admitted: true, waitMs: 0 }); // 5 left
      const refused = await gate.take(limit, background);
      expect(refused.admitted).toBe(false);
      // Not before one more slot has come back (20 s), and it reserved nothing:
      if (!refused.admitted) {
        expect(refused.retryAfterMs).toBeGreaterThan(19_000);
        expect(refused.retryAfterMs).toBeLessThanOrEqual(20_000);
      }
      // ... so the five slots kept back are all there for waiting callers, at once.
      expect(waits(await takeMany(gate, limit, 5))).toEqual([0, 0, 0, 0, 0]);
      const late = await gate.take(limit, waiting(60_000));
      expect(late.admitted && late.waitMs).toBeGreaterThan(19_000);
    });

    it('does keep the schedule on Redis time, whatever the hosts clocks say', async () => {
      const limit = norceLimit(60_000);
      const other = redisStore({ client: test.client, prefix }).rateGate!;
      // This host's clock jumps a day ahead for one of the two gates; Redis' does not.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 86_400_000 });
      try {
        await takeMany(gate, limit, 10);
      } finally {
        vi.useRealTimers();
      }
      await takeMany(other, limit, 10);
      const key = await bucketKey(test, prefix, limit.key);
      const tat = Number(await test.command(['GET', key]));
      const now = await redisNowMs(test);
      // 20 slots taken at about `now`: the bucket is full again 20 × 20 s after Redis' now.
      expect(tat - now).toBeGreaterThan(400_000 - 2_000);
      expect(tat - now).toBeLessThanOrEqual(400_000);
      // The key lives exactly as long as it matters.
      const ttl = Number(await test.command(['PTTL', key]));
      expect(ttl).toBeGreaterThan(398_000);
      expect(ttl).toBeLessThanOrEqual(400_000);
    });

    it('does refill as Redis time passes', async () => {
      const limit = norceLimit(60_000);
      await takeMany(gate, limit, 20);
      // Instead of sleeping: move the schedule 50 s into the past, as if 50 s had passed.
      const key = await bucketKey(test, prefix, limit.key);
      const tat = Number(await test.command(['GET', key]));
      await test.command(['SET', key, String(tat - 50_000), 'PX', '600000']);
      // 50 s at 3 per minute = 2.5 slots back: two now, the third 10 s later.
      const ms = waits(await takeMany(gate, limit, 3));
      expect(ms.slice(0, 2)).toEqual([0, 0]);
      expect(ms[2]).toBeGreaterThan(9_000);
      expect(ms[2]).toBeLessThanOrEqual(10_000);
    });

    it('does never hold more than the burst, however long the bucket was idle', async () => {
      const limit = norceLimit(60_000);
      await takeMany(gate, limit, 1);
      const key = await bucketKey(test, prefix, limit.key);
      // An hour ago (a schedule left behind, e.g. by a clock or a TTL that outlived it).
      await test.command(['SET', key, String((await redisNowMs(test)) - 3_600_000)]);
      const ms = waits(await takeMany(gate, limit, 21));
      expect(ms.slice(0, 20)).toEqual(Array(20).fill(0));
      expect(ms[20]).toBeGreaterThan(19_000);
    });

    it('does treat an unreadable bucket as full', async () => {
      const limit = norceLimit(60_000);
      await takeMany(gate, limit, 1);
      const key = await bucketKey(test, prefix, limit.key);
      await test.command(['SET', key, 'not a number']);
      expect(waits(await takeMany(gate, limit, 20))).toEqual(Array(20).fill(0));
    });

    it('does share one budget per prefix, rate-limit key and endpoint, and nothing else', async () => {
      const limit = norceLimit(60_000);
      const nat = (rateLimitKey?: string) =>
        redisStore({ client: test.client, prefix, ...(rateLimitKey ? { rateLimitKey } : {}) })
          .rateGate!;
      const otherPrefix = uniquePrefix();
      const elsewhere = redisStore({ client: test.client, prefix: otherPrefix }).rateGate!;
      await takeMany(nat(), limit, 20);
      // Same prefix, no rate-limit key: the same bucket (another process of the same fleet).
      expect(await nat().take(limit, waiting(0))).toMatchObject({ admitted: false });
      // Another egress IP, told apart by its rate-limit key or its prefix: a budget of its own.
      expect(waits(await takeMany(nat('nat-b'), limit, 20))).toEqual(Array(20).fill(0));
      expect(waits(await takeMany(elsewhere, limit, 20))).toEqual(Array(20).fill(0));
      // Another endpoint on the same IP: its own limit.
      expect(waits(await takeMany(nat(), norceLimit(60_000), 20))).toEqual(Array(20).fill(0));
      await deleteKeys(test, otherPrefix);
    });
  });
}

/** A node-redis-shaped client whose `eval` is `evaluate`. */
const fakeClient = (evaluate: (...args: unknown[]) => unknown) =>
  ({
    get: async () => null,
    set: async () => 'OK',
    eval: evaluate,
  }) as unknown as RedisClientLike;

describe('redis rate gate (fake client)', () => {
  const limit = norceLimit(60_000);

  it('does one EVAL per take, with the declared limit in its arguments', async () => {
    const calls: unknown[][] = [];
    const gate = redisStore({
      client: fakeClient(async (...args: unknown[]) => {
        calls.push(args);
        return [1, 0];
      }),
      prefix: 'p:',
    }).rateGate!;
    expect(await gate.take(limit, waiting(15_000))).toEqual({ admitted: true, waitMs: 0 });
    expect(await gate.take(limit, background)).toEqual({ admitted: true, waitMs: 0 });
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual([
      expect.stringContaining("redis.call('TIME')"),
      {
        keys: [expect.stringMatching(/^p:rate:[0-9a-f]{64}$/)],
        arguments: ['20000', '20', '15000', '0', '5', '600000'],
      },
    ]);
    expect((calls[1]![1] as { arguments: string[] }).arguments).toEqual([
      '20000',
      '20',
      '0',
      '1',
      '5',
      '600000',
    ]);
  });

  it('does map a refusal to { admitted: false, retryAfterMs }', async () => {
    const gate = redisStore({ client: fakeClient(async () => [0, 12_345]) }).rateGate!;
    expect(await gate.take(limit, waiting(0))).toEqual({ admitted: false, retryAfterMs: 12_345 });
  });

  it('does reject within commandTimeoutMs with a RedisStoreError when Redis does not answer', async () => {
    const gate = redisStore({
      client: fakeClient(() => new Promise(() => {})),
      commandTimeoutMs: 30,
    }).rateGate!;
    const error = await gate.take(limit, waiting(1_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(error).toMatchObject({
      code: 'redis_store_error',
      operation: 'rateGate',
      timedOut: true,
      message: 'Redis rateGate timed out after 30 ms',
    });
  });

  it('does reject with a RedisStoreError when Redis fails or answers nonsense', async () => {
    const failing = redisStore({
      client: fakeClient(async () => {
        throw Object.assign(new Error('NOSCRIPT or worse'), { code: 'ECONNRESET' });
      }),
    }).rateGate!;
    await expect(failing.take(limit, waiting(0))).rejects.toMatchObject({
      name: 'RedisStoreError',
      operation: 'rateGate',
      timedOut: false,
    });
    for (const reply of [null, 'OK', [1], [2, 0], [1, -5], ['1', 'x']]) {
      const odd = redisStore({ client: fakeClient(async () => reply) }).rateGate!;
      const error = await odd.take(limit, waiting(0)).catch((e: unknown) => e);
      expect(error, JSON.stringify(reply)).toBeInstanceOf(RedisStoreError);
    }
  });

  it.each([
    ['requests 0', { ...limit, requests: 0 }, waiting(0), 'rateLimit'],
    ['intervalMs NaN', { ...limit, intervalMs: Number.NaN }, waiting(0), 'rateLimit'],
    ['burst -1', { ...limit, burst: -1 }, waiting(0), 'rateLimit'],
    ['an empty key', { ...limit, key: '' }, waiting(0), 'rateLimit'],
    ['maxWaitMs -1', limit, waiting(-1), 'maxWaitMs'],
    ['priority "urgent"', limit, { maxWaitMs: 0, priority: 'urgent' }, 'priority'],
  ])(
    'does refuse %s with an InvalidOptionsError and no Redis call',
    async (_name, bad, request, option) => {
      const evaluate = vi.fn(async () => [1, 0]);
      const gate = redisStore({ client: fakeClient(evaluate) }).rateGate!;
      const error = await gate.take(bad as RateLimit, request as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect((error as InvalidOptionsError).option).toBe(option);
      expect(evaluate).not.toHaveBeenCalled();
    },
  );
});
