// Eight processes × 50 concurrent requests, one Redis: one token request for the whole fleet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore } from '../../src/index.ts';
import {
  deleteKeys,
  ioredis,
  requireRedisUrl,
  skipRedis,
  type TestClient,
  uniquePrefix,
} from '../redis-env.ts';
import { runFleet } from './fleet.ts';
import { startTokenServer, type TokenServer } from './token-server.ts';
import { fleetProvider, type WorkerConfig } from './worker.ts';

describe.skipIf(skipRedis)('a fleet of processes on one Redis', () => {
  let tokenServer: TokenServer;
  let redis: TestClient;
  const prefixes: string[] = [];

  beforeAll(async () => {
    tokenServer = await startTokenServer(100);
    redis = await ioredis.connect(requireRedisUrl());
  });
  afterAll(async () => {
    await tokenServer?.close();
    for (const prefix of prefixes) if (redis) await deleteKeys(redis, prefix);
    await redis?.close();
  });

  function configs(prefix: string, extra: Partial<WorkerConfig> = {}): WorkerConfig[] {
    return Array.from({ length: 8 }, (_, i) => ({
      redisUrl: requireRedisUrl(),
      tokenUrl: tokenServer.url,
      prefix,
      requests: 50,
      client: i % 2 === 0 ? 'node-redis' : 'ioredis',
      ...extra,
    }));
  }

  it('does send one token request for 8 processes × 50 concurrent requests', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const before = tokenServer.requests();
    const reports = await runFleet(configs(prefix));
    expect(tokenServer.requests() - before).toBe(1);
    expect(new Set(reports.flatMap((report) => report.tokens)).size).toBe(1);
    expect(reports.every((report) => report.storeErrors === 0)).toBe(true);
  }, 60_000);

  it('does take over from a lock holder that crashed, still with one request', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    // A "crashed" holder: it took the lock and will never release it nor store a token.
    const crashed = await redisStore({ client: redis.client, prefix }).lock!(
      fleetProvider(tokenServer.url).key,
      1_000,
    );
    expect(crashed).toBeDefined();
    const before = tokenServer.requests();
    const reports = await runFleet(configs(prefix, { lockTtlMs: 1_000 }));
    expect(tokenServer.requests() - before).toBe(1);
    expect(new Set(reports.flatMap((report) => report.tokens)).size).toBe(1);
  }, 60_000);
});
