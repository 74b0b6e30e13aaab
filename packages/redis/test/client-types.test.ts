// The real client types fit `RedisClientLike` without casts (checked by `tsc`; vitest runs nothing here).
import type { Cluster, Redis } from 'ioredis';
import { createClient, type createCluster } from 'redis';
import { describe, expectTypeOf, it } from 'vitest';
import type { RedisClientLike, RedisStoreOptions } from '../src/index.ts';

describe('client types', () => {
  it('does accept node-redis clients and clusters', () => {
    expectTypeOf<ReturnType<typeof createClient>>().toExtend<RedisClientLike>();
    expectTypeOf<ReturnType<typeof createCluster>>().toExtend<RedisClientLike>();
    const resp3 = () => createClient({ RESP: 3 });
    expectTypeOf<ReturnType<typeof resp3>>().toExtend<RedisClientLike>();
  });

  it('does accept ioredis clients and clusters', () => {
    expectTypeOf<Redis>().toExtend<RedisClientLike>();
    expectTypeOf<Cluster>().toExtend<RedisClientLike>();
  });

  it('does refuse things that are not clients', () => {
    expectTypeOf<{ get(key: string): Promise<string> }>().not.toExtend<RedisClientLike>();
    expectTypeOf<string>().not.toExtend<RedisStoreOptions['client']>();
  });
});
