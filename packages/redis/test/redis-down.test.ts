// When Redis is down every method rejects within commandTimeoutMs with a plain RedisStoreError.
import type { TokenStore } from '@authwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStoreError, redisStore } from '../src/index.ts';
import { freePort, type PrivateRedis, startRedis } from './private-redis.ts';
import { clientFactories, requireRedisUrl, skipRedis, type TestClient } from './redis-env.ts';
import { makeToken } from './tokens.ts';

const commandTimeoutMs = 300;

async function expectBoundedFailure(store: TokenStore): Promise<void> {
  const token = makeToken();
  const operations = {
    get: () => store.get('k'),
    set: () => store.set('k', token, 60_000),
    delete: () => store.delete('k', token),
    lock: () => store.lock!('k', 10_000),
    rateGate: () =>
      store.rateGate!.take(
        { requests: 3, intervalMs: 60_000, burst: 20, key: 'https://id.example.com' },
        { maxWaitMs: 15_000, priority: 'waiting' },
      ),
  };
  for (const [operation, run] of Object.entries(operations)) {
    // A hang would hit the test timeout; the store must reject instead.
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, operation).toBeInstanceOf(RedisStoreError);
    expect(error).toMatchObject({ operation });
    expect(String((error as Error).message)).not.toContain(token.accessToken);
  }
}

describe.skipIf(skipRedis)('redisStore when Redis is down', () => {
  beforeAll(() => {
    requireRedisUrl(); // in CI, a machine without Redis fails here rather than skipping
  });

  for (const factory of clientFactories) {
    describe(factory.name, () => {
      let redis: PrivateRedis | undefined;
      let test: TestClient | undefined;

      beforeAll(async () => {
        redis = await startRedis();
        test = await factory.connect(redis.url);
      });
      afterAll(async () => {
        await test?.close();
        await redis?.stop();
      });

      it('does fail fast after the server stops, then recover when it is back', async () => {
        const store = redisStore({ client: test!.client, commandTimeoutMs });
        const token = makeToken();
        await store.set('k', token, 60_000);
        expect(await store.get('k')).toEqual(token);

        const port = redis!.port;
        await redis!.stop();
        await expectBoundedFailure(store);

        // Same port: the client reconnects by itself and the store works again (data is gone).
        redis = await startRedis(port);
        await expect
          .poll(
            () =>
              store.set('k', token, 60_000).then(
                () => 'ok',
                () => 'down',
              ),
            {
              timeout: 10_000,
              interval: 100,
            },
          )
          .toBe('ok');
        expect(await store.get('k')).toEqual(token);
        const lock = await store.lock!('k', 10_000);
        expect(lock).toBeDefined();
        await lock!.release();
      });
    });
  }

  it('does fail fast with an ioredis client pointing at a closed port', async () => {
    const port = await freePort();
    const { Redis } = await import('ioredis');
    const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null });
    client.on('error', () => {});
    try {
      await expectBoundedFailure(redisStore({ client, commandTimeoutMs }));
    } finally {
      client.disconnect();
    }
  });

  it('does fail fast with a node-redis client that was never connected', async () => {
    const port = await freePort();
    const { createClient } = await import('redis');
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    await expectBoundedFailure(redisStore({ client, commandTimeoutMs }));
  });
});
