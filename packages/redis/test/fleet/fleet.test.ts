// Real processes on one Redis, calling the served Norce mock through axios: one token request
// for the whole fleet, a crashed lock holder replaced, and a stale 401 that spares the new token.
import { describe, expect, it } from 'vitest';
import { requireRedisUrl, skipRedis } from '../redis-env.ts';
import { runFleet, sharedRedisFleet, startFleet, storedFingerprint } from './fleet.ts';
import { type NorceMock, norceMock } from './siblings.ts';
import type { WorkerConfig, WorkerStats } from './worker.ts';

describe.skipIf(skipRedis)('a fleet of processes on one Redis', () => {
  const shared = sharedRedisFleet();

  /** A fresh Norce mock (default rate limit: 3/min + burst 20) and one config per worker. */
  async function setUp(
    count: number,
    extra: Partial<WorkerConfig> = {},
  ): Promise<{ mock: NorceMock; configs: WorkerConfig[] }> {
    const served = await shared.serve((baseUrl) => norceMock({ baseUrl }));
    const prefix = shared.prefix();
    const configs = Array.from(
      { length: count },
      (_, i): WorkerConfig => ({
        redisUrl: requireRedisUrl(),
        prefix,
        client: i % 2 === 0 ? 'node-redis' : 'ioredis',
        tokenUrl: served.mock.tokenUrl,
        apiOrigin: served.mock.apiOrigin,
        mode: 'burst',
        requests: 50,
        ...extra,
      }),
    );
    return { mock: served.mock, configs };
  }

  function expectAllSucceeded(reports: readonly WorkerStats[], requests: number): void {
    for (const report of reports) {
      expect(report.failures).toEqual([]);
      expect(report.ok).toBe(requests);
      expect(report.unhandled).toBe(0);
    }
  }

  it('does send one token request for 8 processes × 50 concurrent axios requests', async () => {
    const { mock, configs } = await setUp(8);
    const reports = await runFleet(configs);

    expectAllSucceeded(reports, 50);
    expect(mock.control.counters).toMatchObject({
      tokenRequests: 1,
      tokenEndpoint429s: 0,
      apiCalls: 400,
      api401s: 0,
    });
    expect(new Set(reports.flatMap((report) => report.tokens)).size).toBe(1);
    expect(reports.every((report) => report.storeErrors === 0)).toBe(true);
  }, 60_000);

  it('does finish the fetch in another process after the lock holder is killed', async () => {
    // The first token request hangs far beyond the lock's lifetime, so only a takeover helps.
    const { mock, configs } = await setUp(8, { lockTtlMs: 2_000 });
    mock.control.failNext(1, { delayMs: 20_000 });
    const fleet = await startFleet(configs);
    fleet.go();

    // The holder is the one process that sent a token request; kill it once the mock has it.
    await expect.poll(() => fleet.fetchStarts.length, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => mock.control.counters.tokenRequests, { timeout: 20_000 }).toBe(1);
    const holder = fleet.members[fleet.fetchStarts[0]!]!;
    await holder.kill();

    const reports = await fleet.reports();
    expect(reports).toHaveLength(7);
    expectAllSucceeded(reports, 50);
    // One takeover after the dead holder's lock expired: two token requests in all, no 429.
    expect(fleet.fetchStarts).toHaveLength(2);
    expect(fleet.fetchStarts[1]).not.toBe(holder.index);
    expect(mock.control.counters).toMatchObject({ tokenRequests: 2, tokenEndpoint429s: 0 });
    expect(new Set(reports.flatMap((report) => report.tokens)).size).toBe(1);
  }, 60_000);

  it('does heal a revoked token with one request across processes, a stale 401 sparing it', async () => {
    // Several request loops per process: a caller that starts while a 401 is being handled must
    // not read the rejected token back from Redis before its compare-and-delete lands (this test
    // found that race in core). Processes still 401 on stale tokens after the new one is stored.
    const { mock, configs } = await setUp(3, { mode: 'load', requests: 4 });
    const fleet = await startFleet(configs);
    fleet.go();
    await expect
      .poll(async () => (await fleet.status()).every((s) => s.ok > 0), { timeout: 20_000 })
      .toBe(true);
    const [first] = await fleet.status();
    const original = first!.lastToken!;

    // Every process has a request in flight with the old token: each gets a 401 for it, and
    // each 401 compare-and-deletes the old token, which must leave the new one in Redis.
    mock.control.revokeAll();
    await expect
      .poll(
        async () => {
          const tokens = (await fleet.status()).map((s) => s.lastToken);
          return tokens[0] !== original && tokens.every((token) => token === tokens[0]);
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    const reports = await fleet.stop();

    expect(mock.control.counters).toMatchObject({ tokenRequests: 2, tokenEndpoint429s: 0 });
    expect(mock.control.counters.api401s).toBeGreaterThan(0);
    const healed = reports[0]!.lastToken!;
    expect(reports.every((report) => report.lastToken === healed)).toBe(true);
    expect(await storedFingerprint(shared.redis, configs[0]!)).toBe(healed);
    for (const report of reports) {
      expect(report.failures).toEqual([]);
      expect(report.unhandled).toBe(0);
    }
  }, 60_000);
});
