export type {
  IoRedisClientLike,
  NodeRedisClientLike,
  RedisClientLike,
} from './client-adapter.ts';
export type { EncryptionKey } from './encryption-key.ts';
export { redisStore } from './redis-store.ts';
export type { RedisStoreOperation } from './redis-store-error.ts';
export { RedisStoreError } from './redis-store-error.ts';
export type { RedisStoreOptions } from './store-options.ts';
