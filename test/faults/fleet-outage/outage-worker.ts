// One fleet member for the identity-outage test: its own process, Redis connection and preset manager,
// a few request loops from `startAt` for `durationMs`; reports each failed request with its times.
import { setTimeout as sleep } from 'node:timers/promises';
import { authFetch, type TokenEvent, type TokenManager } from '@authwire/core';
import { systemClock } from '@authwire/core/kit';
import { makeOracleApplicationKey } from '@authwire/msw';
import { norce } from '@authwire/norce';
import { oracleCommerce } from '@authwire/oracle-commerce';
import { redisStore } from '@authwire/redis';
import { createClient } from 'redis';

export interface OutageWorkerConfig {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly platform: 'norce' | 'oracle';
  readonly origin: string;
  /** Oracle: one application key for the whole fleet (the cache key binds it). */
  readonly applicationKey: string;
  readonly loops: number;
  readonly pauseMs: number;
  readonly durationMs: number;
  /** Seeds the manager's jitter, so a run is repeatable up to scheduling. */
  readonly seed: number;
}

/** A failed request: when it started and ended (ms after `startAt`), and why. */
export interface LostRequest {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly reason: string;
}

export interface OutageWorkerReport {
  readonly ok: number;
  /** Successful requests that took longer than a second, with their times. */
  readonly slow: readonly LostRequest[];
  readonly lost: readonly LostRequest[];
  /** Token requests this process sent (its `token_request` events), with their times. */
  readonly tokenRequests: readonly number[];
  readonly unhandled: number;
}

/** A fresh application key for one fleet. */
export const oracleKey = (): string => makeOracleApplicationKey();

async function main(config: OutageWorkerConfig): Promise<void> {
  // Epoch ms when every member starts (sent with `go` once all are ready); times are ms after it.
  let startAt = Number.POSITIVE_INFINITY;
  let unhandled = 0;
  process.on('unhandledRejection', () => unhandled++);
  const client = createClient({ url: config.redisUrl });
  client.on('error', () => {});
  await client.connect();
  const store = redisStore({ client, prefix: config.prefix });
  const tokenRequests: number[] = [];
  const onEvent = (event: TokenEvent): void => {
    if (event.type === 'token_request') tokenRequests.push(Date.now() - startAt);
  };
  // Seeded jitter (mulberry32): the same refresh moments and back-offs on every run.
  let seed = config.seed >>> 0;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const clock = { ...systemClock, random };
  const auth: TokenManager & { readonly baseUrl?: string } =
    config.platform === 'norce'
      ? norce({
          clientId: 'fleet-client',
          clientSecret: 'fleet-secret-value',
          applicationId: 1234,
          environment: 'playground',
          tokenUrl: `${config.origin}/identity/token`,
          baseUrl: config.origin,
          store,
          clock,
          onEvent,
        })
      : oracleCommerce({
          baseUrl: config.origin,
          applicationKey: config.applicationKey,
          store,
          clock,
          onEvent,
        });
  const url = `${config.origin}/api/orders`;
  const send = authFetch(auth);
  let ok = 0;
  const lost: LostRequest[] = [];
  const slow: LostRequest[] = [];
  const since = () => Date.now() - startAt;
  const one = async (): Promise<void> => {
    const startedAt = since();
    try {
      const response = await send(url);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      ok += 1;
      if (since() - startedAt > 1_000) slow.push({ startedAt, endedAt: since(), reason: 'slow' });
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      lost.push({ startedAt, endedAt: since(), reason });
    }
  };
  await new Promise<void>((resolve) => {
    process.on('message', (message: { type: string; at: number }) => {
      if (message.type !== 'go') return;
      startAt = message.at;
      resolve();
    });
    process.send?.({ type: 'ready' });
  });
  await sleep(Math.max(0, startAt - Date.now()));
  const until = startAt + config.durationMs;
  await Promise.all(
    Array.from({ length: config.loops }, async (_, i) => {
      await sleep((i * config.pauseMs) / config.loops); // spread the loops over one pause
      while (Date.now() < until) {
        await one();
        await sleep(config.pauseMs);
      }
    }),
  );
  const report: OutageWorkerReport = { ok, slow, lost, tokenRequests, unhandled };
  process.send?.({ type: 'done', report });
  await auth.close();
  client.destroy();
  process.disconnect();
}

if (process.env.AUTHWIRE_OUTAGE_WORKER) {
  process.on('disconnect', () => process.exit());
  main(JSON.parse(process.env.AUTHWIRE_OUTAGE_WORKER) as OutageWorkerConfig).catch(
    (error: unknown) => {
      process.send?.({ type: 'failed', message: String(error) });
      process.exit(1);
    },
  );
}
