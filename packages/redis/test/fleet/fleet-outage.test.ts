// Processes under continuous load while their Redis stops and comes back on the same port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startRedis } from '../private-redis.ts';
import {
  ioredis,
  requireRedisUrl,
  skipRedis,
  type TestClient,
  uniquePrefix,
} from '../redis-env.ts';
import { closeFleets, type Fleet, startFleet, storedFingerprint } from './fleet.ts';
import { type NorceMock, norceMock, type ServedMock, serveMock } from './siblings.ts';
import type { WorkerConfig, WorkerStats } from './worker.ts';

const workers = 4;

describe.skipIf(skipRedis)('a fleet under load when Redis restarts', () => {
  let redis: PrivateRedis | undefined;
  let served: ServedMock<NorceMock> | undefined;
  let inspector: TestClient | undefined;

  beforeAll(() => {
    requireRedisUrl(); // in CI, a machine without Redis fails here rather than skipping
  });
  afterAll(async () => {
    await closeFleets();
    await served?.close();
    await inspector?.close();
    await redis?.stop();
  });

  /** Polls every worker's status until `check` holds for all of them; returns that status. */
  async function until(
    fleet: Fleet,
    check: (stats: WorkerStats, all: WorkerStats[]) => boolean,
  ): Promise<WorkerStats[]> {
    let last: WorkerStats[] = [];
    await expect
      .poll(
        async () => {
          last = await fleet.status();
          return last.every((stats) => check(stats, last));
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe(true);
    return last;
  }

  it('does keep every request succeeding per process, then share one token again', async () => {
    redis = await startRedis();
    served = await serveMock((baseUrl) => norceMock({ baseUrl }));
    const { control } = served.mock;
    const prefix = uniquePrefix();
    const config = (i: number): WorkerConfig => ({
      redisUrl: redis!.url,
      prefix,
      client: i % 2 === 0 ? 'node-redis' : 'ioredis',
      tokenUrl: served!.mock.tokenUrl,
      apiOrigin: served!.mock.apiOrigin,
      mode: 'load',
      requests: 4,
      commandTimeoutMs: 300,
      // With the clients' offline queues, a SET the store gave up on during the outage still
      // runs after the reconnect and puts an outage token back into Redis; once that token is
      // revoked, another process adopts it on its 401 and the one retry fails. Users should
      // turn the queue off for the store's client too (the README says so).
      offlineQueue: false,
    });
    const configs = Array.from({ length: workers }, (_, i) => config(i));
    const fleet = await startFleet(configs);
    fleet.go();

    // Redis up: one token for the fleet.
    const shared = await until(fleet, (s) => s.ok > 0 && s.storeReachable);
    const original = shared[0]!.lastToken;
    expect(shared.every((s) => s.lastToken === original)).toBe(true);
    expect(control.counters.tokenRequests).toBe(1);

    // Redis down, then every token revoked: each process must get its own token to go on.
    const port = redis.port;
    await redis.stop();
    await until(fleet, (s) => !s.storeReachable);
    control.revokeAll();
    const down = await until(fleet, (s) => s.lastToken !== original);
    expect(new Set(down.map((s) => s.lastToken)).size).toBe(workers);
    expect(control.counters.tokenRequests).toBe(1 + workers);
    for (const [i, stats] of down.entries()) {
      expect(stats.storeErrors).toBeGreaterThan(shared[i]!.storeErrors);
      expect(stats.ok).toBeGreaterThan(shared[i]!.ok);
    }

    // Redis back on the same port: every client reconnects, and the next token is shared again.
    redis = await startRedis(port);
    await until(fleet, (s) => s.storeReachable);
    inspector = await ioredis.connect(redis.url);
    expect(await storedFingerprint(inspector, configs[0]!)).toBeUndefined(); // nothing replayed
    const outageTokens = new Set(down.map((s) => s.lastToken));
    control.revokeAll();
    const healed = await until(
      fleet,
      (s, all) => !outageTokens.has(s.lastToken) && s.lastToken === all[0]!.lastToken,
    );
    expect(control.counters).toMatchObject({ tokenRequests: 2 + workers, tokenEndpoint429s: 0 });
    expect(await storedFingerprint(inspector, configs[0]!)).toBe(healed[0]!.lastToken);

    const reports = await fleet.stop();
    expect(reports).toHaveLength(workers);
    for (const report of reports) {
      expect(report.failures).toEqual([]);
      expect(report.unhandled).toBe(0);
    }
  }, 120_000);
});
