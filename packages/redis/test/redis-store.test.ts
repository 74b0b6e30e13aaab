import { describe, expect, it } from 'vitest';
import { redisStore } from '../src/index.ts';
import {
  clientFactories,
  deleteKeys,
  ioredis,
  nodeRedis,
  requireRedisUrl,
  skipRedis,
  uniquePrefix,
} from './redis-env.ts';
import { describeRedisStore } from './store-suite.ts';
import { cacheKey, makeToken } from './tokens.ts';

for (const factory of clientFactories) describeRedisStore(factory);

describe.skipIf(skipRedis)('redisStore across client kinds', () => {
  it('does share tokens, deletes and locks between node-redis and ioredis', async () => {
    const url = requireRedisUrl();
    const [n, i] = await Promise.all([nodeRedis.connect(url), ioredis.connect(url)]);
    const prefix = uniquePrefix();
    try {
      const encryptionKey = crypto.getRandomValues(new Uint8Array(32));
      const viaNode = redisStore({ client: n.client, prefix, encryptionKey });
      const viaIo = redisStore({ client: i.client, prefix, encryptionKey });
      const key = cacheKey();
      const older = makeToken();
      const newer = makeToken();
      await viaNode.set(key, older, 60_000);
      await viaIo.set(key, newer, 60_000);
      expect(await viaNode.get(key)).toEqual(newer);
      expect(await viaNode.delete(key, older)).toBe(false);
      const lock = await viaIo.lock!(key, 10_000);
      expect(lock).toBeDefined();
      expect(await viaNode.lock!(key, 10_000)).toBeUndefined();
      await lock!.release();
      expect(await viaNode.delete(key, newer)).toBe(true);
      expect(await viaIo.get(key)).toBeUndefined();
    } finally {
      await deleteKeys(n, prefix);
      await Promise.all([n.close(), i.close()]);
    }
  });
});
