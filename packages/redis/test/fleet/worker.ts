// One fleet member: its own process, Redis connection, Norce token manager and axios instance.
// Driven over IPC by fleet.ts: it connects, says `ready`, waits for `go`, then sends `requests`
// requests at once (`burst`) or keeps `requests` request loops busy until `stop` (`load`).
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TokenEvent } from '@authwire/core';
import { redisStore } from '../../src/index.ts';
import { ioredis, nodeRedis } from '../redis-env.ts';
import { axios, NORCE_MOCK_DEFAULTS, type NorceOptions, norce, withAuth } from './siblings.ts';
import { type TenantsConfig, type TenantsReport, tenantsRun } from './tenants.ts';

export interface WorkerConfig {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly client: 'node-redis' | 'ioredis';
  /** The served Norce mock: its token endpoint and API origin. */
  readonly tokenUrl: string;
  readonly apiOrigin: string;
  readonly mode: 'burst' | 'load';
  /** `burst`: requests sent at once. `load`: request loops, each pausing briefly between calls. */
  readonly requests: number;
  readonly lockTtlMs?: number;
  readonly commandTimeoutMs?: number;
  /** redisStore's `degradedShare`: this process's share of the limit while Redis is down. */
  readonly degradedShare?: number;
  /** See `ConnectOptions.offlineQueue`; default: the client's own (queueing). */
  readonly offlineQueue?: boolean;
  /** Serve many tenants (one credential and manager each) instead of the one default client. */
  readonly tenants?: TenantsConfig;
}

/** The Norce options every worker uses, so the test can compute the shared cache key. */
export function fleetNorceOptions(config: Pick<WorkerConfig, 'tokenUrl' | 'apiOrigin'>): {
  clientId: string;
  clientSecret: string;
  applicationId: number;
  environment: 'playground';
  tokenUrl: string;
  baseUrl: string;
} {
  return {
    clientId: NORCE_MOCK_DEFAULTS.clientId,
    clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
    applicationId: NORCE_MOCK_DEFAULTS.applicationId,
    environment: 'playground',
    tokenUrl: config.tokenUrl,
    baseUrl: config.apiOrigin,
  };
}

/** SHA-256 of an access token: what the store's envelope calls `fp`. Tokens never cross IPC. */
export function tokenFingerprint(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('hex');
}

/** What a worker has seen so far. */
export interface WorkerStats {
  readonly ok: number;
  readonly failed: number;
  /** The first few failure messages. */
  readonly failures: string[];
  /** Fingerprints of the tokens successful requests carried, in order of first use. */
  readonly tokens: string[];
  /** Fingerprint of the token the latest successful request carried. */
  readonly lastToken: string | undefined;
  readonly storeErrors: number;
  readonly lockWaits: number;
  /** Whether a `store.get` made for this status report succeeded. */
  readonly storeReachable: boolean;
  /** `unhandledRejection` and `uncaughtException` events in this process. */
  readonly unhandled: number;
  /** Only for `tenants` workers. */
  readonly tenants?: TenantsReport;
}

export type ParentMessage =
  | { type: 'go'; at?: number }
  | { type: 'status' }
  | { type: 'stop' }
  /** `tenants` workers: every process tried its own tenants' locks; go on to the others. */
  | { type: 'others' };

export type WorkerMessage =
  | { type: 'ready' }
  /** Sent just before this process sends a token request. */
  | { type: 'fetch-started' }
  /** `tenants` workers: this process tried the lock of each of its own tenants. */
  | { type: 'own-claimed' }
  | ({ type: 'status' } & WorkerStats)
  | ({ type: 'done' } & WorkerStats)
  | { type: 'failed'; message: string };

const send = (message: WorkerMessage) => process.send?.(message);
const productsPath = '/commerce/product/1.1/ListProducts';

async function main(config: WorkerConfig): Promise<void> {
  let unhandled = 0;
  process.on('unhandledRejection', () => unhandled++);
  process.on('uncaughtException', () => unhandled++);

  const connection = await (config.client === 'ioredis' ? ioredis : nodeRedis).connect(
    config.redisUrl,
    config.offlineQueue === undefined ? {} : { offlineQueue: config.offlineQueue },
  );
  const store = redisStore({
    client: connection.client,
    prefix: config.prefix,
    ...(config.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: config.commandTimeoutMs }),
    ...(config.degradedShare === undefined ? {} : { degradedShare: config.degradedShare }),
  });
  if (config.tenants) {
    await serveTenants(config, config.tenants, store, connection.close, () => unhandled);
    return;
  }
  const events: TokenEvent[] = [];
  const options: NorceOptions = {
    ...fleetNorceOptions(config),
    store,
    ...(config.lockTtlMs === undefined ? {} : { lockTtlMs: config.lockTtlMs }),
    onEvent: (event) => events.push(event),
    fetch: (input, init) => {
      send({ type: 'fetch-started' });
      return globalThis.fetch(input, init);
    },
  };
  const auth = norce(options);
  const api = withAuth(axios.create({ baseURL: auth.baseUrl, timeout: 60_000 }), auth);

  let ok = 0;
  const failures: string[] = [];
  const tokens: string[] = [];
  let lastToken: string | undefined;
  const one = async (): Promise<void> => {
    try {
      const response = await api.get<{ ItemCount?: number }>(productsPath);
      if (response.status !== 200 || response.data.ItemCount !== 2) {
        throw new Error(`unexpected answer ${response.status}`);
      }
      const sent = String(response.config.headers.Authorization).replace(/^Bearer /, '');
      lastToken = tokenFingerprint(sent);
      if (!tokens.includes(lastToken)) tokens.push(lastToken);
      ok += 1;
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  };
  const stats = async (): Promise<WorkerStats> => ({
    ok,
    failed: failures.length,
    failures: failures.slice(0, 5),
    tokens,
    lastToken,
    storeErrors: events.filter((event) => event.type === 'store_error').length,
    lockWaits: events.filter((event) => event.type === 'lock_wait').length,
    storeReachable: await store.get(auth.key).then(
      () => true,
      () => false,
    ),
    unhandled,
  });

  let go = () => {};
  let stop = () => {};
  const started = new Promise<void>((resolve) => (go = resolve));
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'go') go();
    if (message.type === 'stop') stop();
    if (message.type === 'status') void stats().then((s) => send({ type: 'status', ...s }));
  });
  send({ type: 'ready' });
  await started;

  let running = true;

  if (config.mode === 'burst') {
    await Promise.all(Array.from({ length: config.requests }, one));
  } else {
    const loops = Array.from({ length: config.requests }, async () => {
      while (running) {
        await one();
        await sleep(10);
      }
    });
    await stopped;
    running = false;
    await Promise.all(loops);
  }
  send({ type: 'done', ...(await stats()) });
  await auth.close();
  await connection.close();
  process.disconnect();
}

/** A `tenants` worker: every tenant's requests at `go`, one report when all are answered. */
async function serveTenants(
  config: WorkerConfig,
  tenants: TenantsConfig,
  store: ReturnType<typeof redisStore>,
  closeConnection: () => Promise<void>,
  unhandled: () => number,
): Promise<void> {
  let others = () => {};
  const othersReleased = new Promise<void>((resolve) => {
    others = resolve;
  });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'others') others();
  });
  const run = tenantsRun(tenants, config, store, {
    onFetch: () => send({ type: 'fetch-started' }),
    fingerprint: tokenFingerprint,
    ownClaimed: () => {
      send({ type: 'own-claimed' });
      return othersReleased;
    },
  });
  const started = new Promise<void>((resolve) =>
    process.on('message', (message: ParentMessage) => {
      if (message.type !== 'go') return;
      // Started together: every process waits for the same moment, however late `go` arrived.
      setTimeout(resolve, Math.max(0, (message.at ?? 0) - Date.now()));
    }),
  );
  send({ type: 'ready' });
  await started;
  const { ok, failures, tokens } = await run.run();
  const report = run.report();
  send({
    type: 'done',
    ok,
    failed: failures.length,
    failures: failures.slice(0, 5),
    tokens,
    lastToken: undefined,
    storeErrors: 0,
    lockWaits: 0,
    storeReachable: false,
    unhandled: unhandled(),
    tenants: report,
  });
  await run.close();
  await closeConnection();
  process.disconnect();
}

if (process.env.AUTHWIRE_FLEET_WORKER) {
  // No orphans: when the test process goes away, so does the worker.
  process.on('disconnect', () => process.exit());
  main(JSON.parse(process.env.AUTHWIRE_FLEET_WORKER) as WorkerConfig).catch((error: unknown) => {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
}
