// One process of the fleet scenario: a norce() manager per run (own memory store, or the shared
// Redis store), `requests` API calls 10 at a time, then a report to the parent.
import { memoryStore, type TokenStore } from '@authwire/core';
import { norce } from '@authwire/norce';
import { redisStore } from '@authwire/redis';
import { createClient } from 'redis';

export type FleetRun = {
  readonly type: 'run';
  readonly mode: 'memory' | 'redis';
  readonly prefix: string;
  readonly requests: number;
};
export type FleetReport = {
  readonly type: 'done';
  readonly ok: number;
  readonly failed: number;
  readonly ms: number;
};

const [
  tokenUrl = '',
  baseUrl = '',
  clientId = '',
  clientSecret = '',
  applicationId = '',
  redisUrl,
] = process.argv.slice(2);

const redis = redisUrl ? createClient({ url: redisUrl }) : undefined;
redis?.on('error', () => {});
await redis?.connect();

async function run(message: FleetRun): Promise<FleetReport> {
  const store: TokenStore =
    message.mode === 'redis' && redis
      ? redisStore({ client: redis, prefix: message.prefix })
      : memoryStore();
  const auth = norce({
    clientId,
    clientSecret,
    applicationId,
    environment: 'playground',
    tokenUrl,
    baseUrl,
    store,
  });
  const url = `${baseUrl}/commerce/product/1.1/ListProducts`;
  let ok = 0;
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (next < message.requests) {
      next += 1;
      try {
        const authorization = await auth.authorize(url);
        const response = await fetch(url, { headers: authorization?.headers ?? {} });
        await response.arrayBuffer();
        if (response.status === 200) ok += 1;
        else failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: 10 }, lane));
  await auth.close();
  return { type: 'done', ok, failed, ms: performance.now() - started };
}

process.on('message', (message: FleetRun) => {
  run(message).then(
    (report) => process.send?.(report),
    () => process.send?.({ type: 'done', ok: 0, failed: message.requests, ms: 0 }),
  );
});
process.on('disconnect', () => {
  void redis?.quit().catch(() => {});
  process.exit(0);
});
process.send?.({ type: 'ready' });
