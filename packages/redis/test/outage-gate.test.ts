// The fleet outage gate on a real Redis (both clients): one mark per endpoint shared by every
// store on the Redis, its streak, Redis' clock, its key's expiry; and a bounded failure.
import type { OutageGate } from '@authwire/core/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisClientLike, RedisStoreError, redisStore } from '../src/index.ts';
import {
  clientFactories,
  deleteKeys,
  requireRedisUrl,
  skipRedis,
  type TestClient,
  uniquePrefix,
} from './redis-env.ts';

const backoff = { baseMs: 250, maxMs: 4_000, random: 0.999_999 };
let endpoints = 0;
const endpoint = () => `limit:https://id-${++endpoints}.example.com`;

function outageOf(client: RedisClientLike, prefix: string): OutageGate {
  const gate = redisStore({ client, prefix }).rateGate?.outage;
  if (!gate) throw new Error('redisStore has no outage gate');
  return gate;
}

for (const factory of clientFactories) {
  describe.skipIf(skipRedis)(`redis outage gate (${factory.name})`, () => {
    let test: TestClient;
    const prefix = uniquePrefix();
    beforeAll(async () => {
      test = await factory.connect(requireRedisUrl());
    });
    afterAll(async () => {
      await deleteKeys(test, prefix);
      await test.close();
    });

    it('does share one mark between two stores (two processes) on the same Redis', async () => {
      const one = outageOf(test.client, prefix);
      const two = outageOf(test.client, prefix);
      const down = endpoint();
      // A 5 s mark: it outlives any pause of a loaded machine between the two calls.
      const long = { ...backoff, baseMs: 5_000, maxMs: 80_000 };
      expect(await two.downFor(down)).toBe(0);
      const markedAt = performance.now();
      expect(await one.failed(down, long)).toBe(5_000);
      const seen = await two.downFor(down);
      // What is left of it: 5 000 less the time since it was set (at most what we measured; Redis
      // counts whole milliseconds).
      const sinceMs = Math.ceil(performance.now() - markedAt);
      expect(seen).toBeGreaterThanOrEqual(5_000 - sinceMs - 1);
      expect(seen).toBeLessThanOrEqual(5_000);
      // A failure while the mark runs is the same outage: the mark is kept, not doubled.
      const again = await two.failed(down, long);
      expect(again).toBeLessThanOrEqual(5_000);
      expect(await outageOf(test.client, uniquePrefix()).downFor(down)).toBe(0); // other prefix
    });

    it('does double the back-off with each failure in a row, up to maxMs, and end it on recovery', async () => {
      const gate = outageOf(test.client, prefix);
      const down = endpoint();
      const { createHash } = await import('node:crypto');
      const key = `${prefix}down:${createHash('sha256').update(down).digest('hex')}`;
      const waits: number[] = [];
      for (let i = 0; i < 6; i++) {
        waits.push(await gate.failed(down, backoff));
        // The mark ran out just now (as if its time passed): the next failure continues the streak.
        const [seconds, micros] = (await test.command(['TIME'])) as [string, string];
        const now = Number(seconds) * 1000 + Number(micros) / 1000;
        await test.command(['HSET', key, 'until', String(now - 1)]);
      }
      expect(waits).toEqual([250, 500, 1_000, 2_000, 4_000, 4_000]);
      await gate.recovered(down);
      expect(await gate.downFor(down)).toBe(0);
      expect(await gate.failed(down, backoff)).toBe(250);
    });

    it('does let its key expire: a healthy endpoint leaves nothing behind', async () => {
      const gate = outageOf(test.client, prefix);
      const before = new Set((await test.command(['KEYS', `${prefix}down:*`])) as string[]);
      const markedAt = performance.now();
      await gate.failed(endpoint(), backoff);
      const keys = ((await test.command(['KEYS', `${prefix}down:*`])) as string[]).filter(
        (k) => !before.has(k),
      );
      expect(keys).toHaveLength(1);
      const ttl = Number(await test.command(['PTTL', keys[0] as string]));
      // The mark and two of the longest back-offs, less the time since it was set (at most what
      // we measured; Redis counts whole milliseconds).
      const sinceMs = Math.ceil(performance.now() - markedAt);
      expect(ttl).toBeGreaterThanOrEqual(250 + 2 * 4_000 - sinceMs - 1);
      expect(ttl).toBeLessThanOrEqual(250 + 2 * 4_000);
    });
  });
}

describe('redis outage gate failures', () => {
  it('does reject with a RedisStoreError (operation outage) when Redis fails, holding nothing', async () => {
    const failing = {
      get: async () => null,
      set: async () => 'OK',
      eval: async () => Promise.reject(new Error('READONLY')),
    } as unknown as RedisClientLike;
    const gate = outageOf(failing, 'p:');
    const error = await gate.failed(endpoint(), backoff).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect((error as RedisStoreError).operation).toBe('outage');
  });
});
