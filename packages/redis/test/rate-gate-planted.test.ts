// The fleet gate against what a Redis may hold at the rate key on its worst day (a schedule
// planted far ahead, `inf`, `1e999`, NaN, negatives, garbage, with or without a TTL): each is
// unreadable or bounded by the declared interval/burst, never a stall, and the key always expires.
import { createHash } from 'node:crypto';
import {
  createTokenManager,
  InvalidOptionsError,
  type TokenEvent,
  type TokenProvider,
} from '@authwire/core';
import { MAX_WAIT_MS, type RateGate, type RateLimit } from '@authwire/core/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore } from '../src/index.ts';
import {
  clientFactories,
  deleteKeys,
  requireRedisUrl,
  skipRedis,
  type TestClient,
  uniquePrefix,
} from './redis-env.ts';

let counter = 0;
/** 3 per minute, burst 20: one slot every 20 s, a full bucket 400 s ahead at most. */
function limit(): RateLimit {
  counter += 1;
  return { requests: 3, intervalMs: 60_000, burst: 20, key: `https://planted-${counter}.example` };
}
const FULL_MS = 20 * 20_000;

const waiting = { maxWaitMs: 15_000, priority: 'waiting' as const };

function keyOf(prefix: string, rate: RateLimit): string {
  return `${prefix}rate:${createHash('sha256').update(rate.key).digest('hex')}`;
}

async function redisNowMs(test: TestClient): Promise<number> {
  const [seconds, micros] = (await test.command(['TIME'])) as [string, string];
  return Number(seconds) * 1000 + Number(micros) / 1000;
}

for (const factory of clientFactories) {
  describe.skipIf(skipRedis)(`fleet gate vs a planted rate key (${factory.name})`, () => {
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

    const unreadable: readonly [string, (now: number) => string][] = [
      ['a schedule a year ahead', (now) => String(now + 365 * 86_400_000)],
      ['a schedule just past the horizon', (now) => String(now + FULL_MS + MAX_WAIT_MS + 60_000)],
      ['inf', () => 'inf'],
      ['-inf', () => '-inf'],
      ['1e999', () => '1e999'],
      ['nan', () => 'nan'],
      ['-nan', () => '-nan'],
      ['400 nines', () => '9'.repeat(400)],
      ['garbage', () => 'not a number'],
      ['an empty string', () => ''],
      ['a negative schedule', () => '-1e15'],
      ['zero', () => '0'],
      ['hex', () => '0x7fffffffffffffff'],
    ];

    for (const ttl of [undefined, 3_600_000] as const) {
      it.each(unreadable)(
        `does read %s ${ttl ? 'with a TTL' : 'without a TTL'} as a full bucket, and sets an expiry`,
        async (_, value) => {
          const rate = limit();
          const key = keyOf(prefix, rate);
          const now = await redisNowMs(test);
          await test.command(
            ttl ? ['SET', key, value(now), 'PX', String(ttl)] : ['SET', key, value(now)],
          );
          // A full bucket: the whole burst at once, nobody refused for 10 minutes.
          const answers = await Promise.all(
            Array.from({ length: 20 }, () => gate.take(rate, waiting)),
          );
          expect(answers.every((a) => a.admitted && a.waitMs === 0)).toBe(true);
          const pttl = Number(await test.command(['PTTL', key]));
          expect(pttl).toBeGreaterThan(0);
          expect(pttl).toBeLessThanOrEqual(FULL_MS);
        },
      );
    }

    it('does bound a planted schedule inside the horizon, and give a key without a TTL one', async () => {
      const rate = limit();
      const key = keyOf(prefix, rate);
      const now = await redisNowMs(test);
      const ahead = FULL_MS + 300_000;
      await test.command(['SET', key, String(now + ahead)]);
      const refused = await gate.take(rate, waiting);
      expect(refused.admitted).toBe(false);
      if (refused.admitted) return;
      // Never more than the declared window plus the wait ceiling: not "for good".
      expect(refused.retryAfterMs).toBeLessThanOrEqual(FULL_MS + MAX_WAIT_MS);
      const pttl = Number(await test.command(['PTTL', key]));
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(ahead);
    });

    it('does refuse 300 concurrent callers against a planted schedule without ever sending more than the burst', async () => {
      const rate = limit();
      const key = keyOf(prefix, rate);
      await test.command(['SET', key, '1e999']);
      const answers = await Promise.all(
        Array.from({ length: 300 }, () => gate.take(rate, { maxWaitMs: 0, priority: 'waiting' })),
      );
      expect(answers.filter((a) => a.admitted)).toHaveLength(20);
      expect(Number(await test.command(['PTTL', key]))).toBeGreaterThan(0);
    });

    it('does let a manager fetch past a schedule planted far ahead (no 10-minute RateLimitedError)', async () => {
      const rate = limit();
      await test.command(['SET', keyOf(prefix, rate), String(Date.now() + 10 * 365 * 86_400_000)]);
      let calls = 0;
      const provider: TokenProvider = {
        key: `planted-provider-${counter}`,
        origins: ['https://api.example.com'],
        rateLimit: rate,
        fetchToken: async () => {
          calls += 1;
          const now = Date.now();
          return {
            accessToken: `t-${calls}`,
            tokenType: 'Bearer',
            issuedAt: now,
            expiresAt: now + 3_600_000,
          };
        },
      };
      const events: TokenEvent[] = [];
      const auth = createTokenManager(provider, {
        store: redisStore({ client: test.client, prefix }),
        onEvent: (event) => events.push(event),
      });
      expect((await auth.getToken()).accessToken).toBe('t-1');
      expect(events.filter((e) => e.type === 'rate_limited' || e.type === 'store_error')).toEqual(
        [],
      );
      await auth.close();
    });

    it('does give a lock planted without a TTL an expiry, so no process waits on it for good', async () => {
      const store = redisStore({ client: test.client, prefix });
      // Take and release a lock to learn its Redis key, then plant one there without a TTL.
      const own = await store.lock!('planted-lock', 1_000);
      const keys = (await test.command(['KEYS', `${prefix}lock:*`])) as string[];
      await own!.release();
      const key = keys[0]!;
      await test.command(['SET', key, 'someone-forever']);
      expect(await store.lock!('planted-lock', 5_000)).toBeUndefined();
      let pttl = -1;
      for (let i = 0; i < 50 && pttl === -1; i++) {
        pttl = Number(await test.command(['PTTL', key]));
      }
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(5_000);
      // A lock someone holds with a TTL keeps its TTL.
      await test.command(['SET', key, 'someone-briefly', 'PX', '60000']);
      expect(await store.lock!('planted-lock', 5_000)).toBeUndefined();
      expect(Number(await test.command(['PTTL', key]))).toBeGreaterThan(5_000);
    });

    it('does refuse a broken declared limit before the gate sees it (no store_error, no local bucket)', () => {
      const events: TokenEvent[] = [];
      const provider = {
        key: 'broken-limit',
        origins: ['https://api.example.com'],
        rateLimit: { requests: Number.NaN, intervalMs: 60_000, key: 'x' },
        fetchToken: async () => {
          throw new Error('never');
        },
      } as unknown as TokenProvider;
      expect(() =>
        createTokenManager(provider, {
          store: redisStore({ client: test.client, prefix }),
          onEvent: (event) => events.push(event),
        }),
      ).toThrow(InvalidOptionsError);
      expect(events).toEqual([]);
    });
  });
}
