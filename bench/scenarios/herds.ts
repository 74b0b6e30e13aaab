// 2. Token requests per client: a cold-start herd and a 401 herd (steady load: steady.ts).
import { type Clock, memoryStore } from '@authwire/core';
import { norce } from '@authwire/norce';
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

export interface HerdsResult {
  readonly herdSize: number;
  readonly herds: readonly HerdResult[];
}

export type Factory = {
  name: string;
  kind: Arm['kind'];
  build: (target: Target, clock?: Clock) => { arm: Arm; close: () => Promise<void> };
};

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

export function factories(): Factory[] {
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

/** `authwire core + fetch` with refresh timing of its own, for the fixed-window rows. */
export function tunedCoreFetch(name: string, timing: Timing): Factory {
  return {
    name: `authwire core + fetch, ${name}`,
    kind: 'authwire',
    build: (target, clock) => {
      const auth = freshNorce(target, clock, timing);
      return {
        arm: authwireArms({ ...target, staticHeaders: {} }, auth)[4] as Arm,
        close: () => auth.close(),
      };
    },
  };
}

export async function runTokenScenarios(log: (line: string) => void): Promise<HerdsResult> {
  const herds = await runHerds(log);
  return { herdSize: config.herdSize, herds };
}
