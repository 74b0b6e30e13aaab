// Where the integration tests find Redis, and the two clients they run against.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import type { RedisClientLike } from '../src/index.ts';

export const redisUrl: string | undefined = process.env.AUTHWIRE_REDIS_URL;

/** Skip only on a developer machine without Redis; in CI a missing Redis is a failure. */
export const skipRedis: boolean = redisUrl === undefined && !process.env.CI;

// The notice that they skip is printed once per run by test/redis-notice.ts (vitest globalSetup).

export function requireRedisUrl(): string {
  if (redisUrl === undefined) {
    throw new Error('AUTHWIRE_REDIS_URL must point at a Redis server when CI is set');
  }
  return redisUrl;
}

/** A connected client, a raw command channel for assertions, and how to close it. */
export interface TestClient {
  readonly client: RedisClientLike;
  command(args: readonly string[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Client settings a test may change from the clients' defaults. */
export interface ConnectOptions {
  /**
   * `false` fails commands at once while disconnected instead of queueing them for the
   * reconnect (node-redis `disableOfflineQueue`, ioredis `enableOfflineQueue: false`).
   */
  readonly offlineQueue?: boolean;
}

export interface ClientFactory {
  readonly name: 'node-redis' | 'ioredis';
  connect(url: string, options?: ConnectOptions): Promise<TestClient>;
}

export const nodeRedis: ClientFactory = {
  name: 'node-redis',
  async connect(url, options = {}) {
    const client = createClient({
      url,
      disableOfflineQueue: options.offlineQueue === false,
      socket: {
        connectTimeout: 1_000,
        reconnectStrategy: (retries) => Math.min(retries * 50, 500),
      },
    });
    client.on('error', () => {}); // reconnect noise; the store reports failures itself
    await client.connect();
    return {
      client,
      command: (args) => client.sendCommand([...args]),
      close: async () => {
        client.destroy();
      },
    };
  },
};

export const ioredis: ClientFactory = {
  name: 'ioredis',
  async connect(url, options = {}) {
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: options.offlineQueue !== false,
    });
    client.on('error', () => {});
    await client.connect();
    return {
      client,
      command: ([name, ...args]) => client.call(name ?? 'PING', ...args),
      close: async () => {
        client.disconnect();
      },
    };
  },
};

export const clientFactories: readonly ClientFactory[] = [nodeRedis, ioredis];

/** A prefix no other test run shares, so runs and parallel files never see each other's keys. */
export function uniquePrefix(): string {
  return `authwire-test:${randomUUID()}:`;
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(test: TestClient, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = (await test.command([
      'SCAN',
      cursor,
      'MATCH',
      `${prefix}*`,
      'COUNT',
      '1000',
    ])) as [string, string[]];
    cursor = String(next);
    if (keys.length > 0) await test.command(['DEL', ...keys]);
  } while (cursor !== '0');
}
