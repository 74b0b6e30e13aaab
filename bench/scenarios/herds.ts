// 2. Token requests per client: a cold-start herd, a 401 herd, and 10 minutes of simulated load.
import { type Clock, memoryStore } from '@authwire/core';
import { norce } from '@authwire/norce';
import FakeTimers from '@sinonjs/fake-timers';
import { type Arm, authwireArms, peerArms, type Target } from '../lib/arms.ts';
import { config } from '../lib/config.ts';
import { credentials, norceTarget, serveNorce } from '../lib/fixture.ts';
import { round } from '../lib/stats.ts';

export interface HerdResult {
  readonly client: string;
  readonly kind: Arm['kind'];
  readonly cold: {
    readonly tokenRequests: number;
    readonly api401s: number;
    readonly failures: number;
    readonly ms: number;
  };
  readonly revoked: {
    readonly tokenRequests: number;
    readonly api401s: number;
    readonly failures: number;
    readonly ms: number;
  };
}

export interface SteadyResult {
  readonly client: string;
  readonly kind: Arm['kind'];
  readonly requests: number;
  readonly tokenRequests: number;
  /** Token lifetimes the simulated run spans (duration / lifetime). */
  readonly lifetimes: number;
  readonly tokenRequestsPerLifetime: number;
  /** Tokens issued that no successful API call ever carried: wasted token requests. */
  readonly unusedTokens: number;
  readonly api401s: number;
  readonly failures: number;
}

export interface HerdsResult {
  readonly herdSize: number;
  readonly herds: readonly HerdResult[];
  readonly steady: {
    readonly durationMs: number;
    readonly tickMs: number;
    readonly perTick: number;
    readonly lifetimeS: number;
    readonly results: readonly SteadyResult[];
  };
}

type Factory = {
  name: string;
  kind: Arm['kind'];
  build: (target: Target, clock?: Clock) => { arm: Arm; close: () => Promise<void> };
};

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A fresh manager per client: the norce() preset on its own memory store. */
/** Refresh timing to override: the steady-load rows compare the default with tighter ones. */
type Timing = { readonly refreshWindowMs?: number; readonly expiryMarginMs?: number };

function freshNorce(target: Target, clock?: Clock, timing: Timing = {}) {
  const origin = new URL(target.url).origin;
  return norce({
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    applicationId: credentials.applicationId,
    environment: 'playground',
    tokenUrl: target.tokenUrl,
    baseUrl: origin,
    store: memoryStore(),
    ...(clock ? { clock } : {}),
    ...timing,
  });
}

function factories(): Factory[] {
  // The norce() preset sends ApplicationId itself, so its clients get no static headers.
  const authwire = (index: number, name: string, timing?: Timing): Factory => ({
    name,
    kind: 'authwire',
    build: (target, clock) => {
      const auth = freshNorce(target, clock, timing);
      const arm = authwireArms({ ...target, staticHeaders: {} }, auth)[index] as Arm;
      return { arm, close: () => auth.close() };
    },
  });
  const peer = (index: number, name: string): Factory => ({
    name,
    kind: 'peer',
    build: (target) => ({ arm: peerArms(target)[index] as Arm, close: async () => {} }),
  });
  return [
    authwire(0, 'authwire + axios'),
    authwire(1, 'authwire + ky'),
    authwire(2, 'authwire + got'),
    authwire(3, 'authwire + openapi-fetch'),
    authwire(4, 'authwire core + fetch'),
    peer(0, 'axios-auth-refresh'),
    peer(1, 'ky docs hooks'),
    peer(2, 'got docs hooks'),
    peer(3, '@badgateway OAuth2Fetch'),
  ];
}

async function herd(arm: Arm, size: number) {
  const started = performance.now();
  const statuses = await Promise.all(Array.from({ length: size }, () => arm.send()));
  return {
    failures: statuses.filter((status) => status !== 200).length,
    ms: round(performance.now() - started, 0),
  };
}

async function runHerds(log: (line: string) => void): Promise<HerdResult[]> {
  const size = config.herdSize;
  const served = await serveNorce();
  const control = served.mock.control;
  const target = norceTarget(served.mock);
  const results: HerdResult[] = [];
  try {
    for (const factory of factories()) {
      control.reset();
      const { arm, close } = factory.build(target);
      const cold = await herd(arm, size);
      const afterCold = control.counters;
      control.revokeAll();
      const revoked = await herd(arm, size);
      const afterRevoked = control.counters;
      await close();
      results.push({
        client: factory.name,
        kind: factory.kind,
        cold: { tokenRequests: afterCold.tokenRequests, api401s: afterCold.api401s, ...cold },
        revoked: {
          tokenRequests: afterRevoked.tokenRequests - afterCold.tokenRequests,
          api401s: afterRevoked.api401s - afterCold.api401s,
          ...revoked,
        },
      });
      log(`  herds: ${factory.name} done`);
    }
  } finally {
    await served.close();
  }
  return results;
}

async function runSteady(log: (line: string) => void): Promise<HerdsResult['steady']> {
  const { durationMs, tickMs, perTick, lifetimeS } = config.steady;
  const start = Date.UTC(2026, 0, 1);
  let now = start;
  // Only Date is faked: timers, sockets and the event loop stay real. The mock and the managers
  // read the same virtual `now`; the peers read it through Date.now().
  const fake = FakeTimers.install({ toFake: ['Date'], now: start });
  const clock: Clock = { now: () => now, sleep: realSleep, random: Math.random };
  const served = await serveNorce({ lifetimeS, now: () => now });
  const control = served.mock.control;
  const target = norceTarget(served.mock);
  const tuned = (name: string, timing: Timing): Factory => ({
    ...(factories()[4] as Factory),
    name: `authwire core + fetch, ${name}`,
    build: (t: Target, c?: Clock) => {
      const auth = freshNorce(t, c, timing);
      return {
        arm: authwireArms({ ...t, staticHeaders: {} }, auth)[4] as Arm,
        close: () => auth.close(),
      };
    },
  });
  const list = [
    ...factories(),
    tuned('refreshWindowMs 10 s', { refreshWindowMs: 10_000 }),
    // No refresh-ahead: the only way to exactly one request per lifetime; callers then wait for
    // the new token at each expiry.
    tuned('no refresh-ahead (window and margin 0)', { refreshWindowMs: 0, expiryMarginMs: 0 }),
  ];
  const results: SteadyResult[] = [];
  try {
    for (const factory of list) {
      now = start;
      fake.setSystemTime(now);
      control.reset();
      const { arm, close } = factory.build(target, clock);
      let requests = 0;
      let failures = 0;
      let lastTick = now;
      while (now < start + durationMs) {
        lastTick = now;
        const statuses = await Promise.all(Array.from({ length: perTick }, () => arm.send()));
        requests += statuses.length;
        failures += statuses.filter((status) => status !== 200).length;
        now += tickMs;
        fake.setSystemTime(now);
      }
      // Let a background refresh started by the last tick land before counting.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await close();
      const counters = control.counters;
      const used = new Set(
        control.apiRequests
          .filter((r) => r.status === 200 && r.tokenIndex !== null)
          .map((r) => r.tokenIndex),
      );
      const lifetimes = durationMs / (lifetimeS * 1000);
      results.push({
        client: factory.name,
        kind: factory.kind,
        requests,
        tokenRequests: counters.tokenRequests,
        lifetimes,
        tokenRequestsPerLifetime: round(counters.tokenRequests / lifetimes, 2),
        // A token fetched in the last two ticks (a refresh-ahead) had no fair chance to be used.
        unusedTokens: control.issuedTokens.filter(
          (t) => t.issuedAt < lastTick - tickMs && !used.has(t.index),
        ).length,
        api401s: counters.api401s,
        failures,
      });
      log(`  steady: ${factory.name} done`);
    }
  } finally {
    await served.close();
    fake.uninstall();
  }
  return { durationMs, tickMs, perTick, lifetimeS, results };
}

export async function runTokenScenarios(log: (line: string) => void): Promise<HerdsResult> {
  const herds = await runHerds(log);
  const steady = await runSteady(log);
  return { herdSize: config.herdSize, herds, steady };
}
