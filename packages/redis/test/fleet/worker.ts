// One fleet member: its own process, Redis connection and token manager. Driven over IPC by
// fleet.ts: it connects, says `ready`, waits for `go`, runs its requests and reports.
import { clientCredentials, createTokenManager, type TokenEvent } from '@authwire/core';
import { redisStore } from '../../src/index.ts';
import { ioredis, nodeRedis } from '../redis-env.ts';

export interface WorkerConfig {
  readonly redisUrl: string;
  readonly tokenUrl: string;
  readonly prefix: string;
  readonly requests: number;
  readonly client: 'node-redis' | 'ioredis';
  readonly lockTtlMs?: number;
}

/** The provider every worker uses, so the test can compute the shared cache key. */
export function fleetProvider(tokenUrl: string): ReturnType<typeof clientCredentials> {
  return clientCredentials({ tokenUrl, clientId: 'fleet', clientSecret: 'fleet-secret' });
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; tokens: string[]; storeErrors: number; lockWaits: number }
  | { type: 'failed'; message: string };

const send = (message: WorkerMessage) => process.send?.(message);

async function main(config: WorkerConfig): Promise<void> {
  const connection = await (config.client === 'ioredis' ? ioredis : nodeRedis).connect(
    config.redisUrl,
  );
  const events: TokenEvent[] = [];
  const manager = createTokenManager(fleetProvider(config.tokenUrl), {
    ...(config.lockTtlMs === undefined ? {} : { lockTtlMs: config.lockTtlMs }),
    origins: ['https://api.example.com'],
    store: redisStore({ client: connection.client, prefix: config.prefix }),
    onEvent: (event) => events.push(event),
  });
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    send({ type: 'ready' });
  });
  const results = await Promise.all(
    Array.from({ length: config.requests }, () =>
      manager.authorize('https://api.example.com/orders'),
    ),
  );
  send({
    type: 'done',
    tokens: [...new Set(results.map((result) => result?.token.accessToken ?? 'none'))],
    storeErrors: events.filter((event) => event.type === 'store_error').length,
    lockWaits: events.filter((event) => event.type === 'lock_wait').length,
  });
  await manager.close();
  await connection.close();
}

if (process.env.AUTHWIRE_FLEET_WORKER) {
  main(JSON.parse(process.env.AUTHWIRE_FLEET_WORKER ?? '{}') as WorkerConfig).catch(
    (error: unknown) => {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      process.exitCode = 1;
    },
  );
}
