// One adapter plus the companion plugin its users most often have (a retry plugin, another middleware):
// the 401 heal and the plugin's own retries must compose — no double heal, no retry storm.
import type { TokenManager } from '@authwire/core';
import type { ApiFailure } from '@authwire/msw';
import { type SetupServer, setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NORCE, type Platform, testClock } from '../../drivers/platforms.ts';
import type { Driver } from '../../drivers/types.ts';

/** What the API answers first, in order, before it answers normally again. */
type Script = readonly (401 | 503)[];

export interface Scenario {
  readonly name: string;
  readonly script: Script;
  /** Concurrent callers; after a warm-up request, the tokens are revoked (a 401 herd). */
  readonly herd?: number;
}

/** What must happen, counted at the mock: the caller's status, every API status, token requests. */
export interface Outcome {
  readonly status: number;
  readonly api: readonly number[];
  readonly tokenRequests: number;
  /** What the companion itself counted (a middleware's calls), when it counts anything. */
  readonly seen?: unknown;
}

/** A driver plus, optionally, what the companion counted during the test. */
export type CompanionDriver = Driver & { readonly seen?: () => unknown };

/** The plugin's retry budget every companion is configured with. */
export const PLUGIN_RETRIES = 2;
const HERD = 50;

export const SCENARIOS = {
  'one 401': { name: 'one 401', script: [401] },
  'a persistent 401': { name: 'a persistent 401', script: [401, 401, 401, 401, 401, 401] },
  'two 503s': { name: 'two 503s', script: [503, 503] },
  'a persistent 503': { name: 'a persistent 503', script: [503, 503, 503, 503, 503, 503] },
  '503 then 401': { name: '503 then 401', script: [503, 401] },
  '401 then 503': { name: '401 then 503', script: [401, 503] },
  'a 401 herd': { name: 'a 401 herd', script: [], herd: HERD },
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;

/** The outcome when the plugin retries 5xx up to PLUGIN_RETRIES times and never touches a 401. */
export const RETRYING_PLUGIN: Record<ScenarioName, Outcome> = {
  // The heal: one fresh token, one retry.
  'one 401': { status: 200, api: [401, 200], tokenRequests: 2 },
  // Healed once, then the second 401 reaches the caller; the plugin does not retry 401s.
  'a persistent 401': { status: 401, api: [401, 401], tokenRequests: 2 },
  // The plugin's retries, with the same token.
  'two 503s': { status: 200, api: [503, 503, 200], tokenRequests: 1 },
  'a persistent 503': { status: 503, api: [503, 503, 503], tokenRequests: 1 },
  '503 then 401': { status: 200, api: [503, 401, 200], tokenRequests: 2 },
  '401 then 503': { status: 200, api: [401, 503, 200], tokenRequests: 2 },
  // One refresh for the whole herd, each request retried once.
  'a 401 herd': {
    status: 200,
    api: [200, ...Array(HERD).fill(401), ...Array(HERD).fill(200)],
    tokenRequests: 2,
  },
};

const failure = (status: 401 | 503): ApiFailure => ({ status });

/** One MSW server per test file, listening for the whole file (two would both intercept). */
export function companionServer(): SetupServer {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());
  return server;
}

/**
 * Runs every scenario for `create` (a client wired with the adapter and the plugin), asserting
 * `expected` exactly: the caller's status, the API's statuses in order, the token requests.
 */
export function companionScenarios(
  server: SetupServer,
  name: string,
  create: (auth: TokenManager) => CompanionDriver,
  expected: Record<ScenarioName, Outcome>,
): void {
  describe(name, () => {
    let platform: Platform;
    beforeEach(() => {
      const clock = testClock();
      platform = NORCE.create({ now: clock.now, manager: { clock } });
      server.resetHandlers(...platform.handlers);
    });
    afterEach(() => platform.auth.close());

    const apiStatuses = () => {
      const path = new URL(platform.apiUrl).pathname;
      return platform.control.apiRequests.filter((r) => r.path === path).map((r) => r.status);
    };

    it.each(Object.values(SCENARIOS) as Scenario[])('composes with $name', async (scenario) => {
      const outcome = expected[scenario.name as ScenarioName];
      const driver = create(platform.auth);
      let statuses: number[];
      if (scenario.herd) {
        expect((await driver.get(platform.apiUrl)).status).toBe(200);
        platform.control.revokeAll();
        const results = await Promise.all(
          Array.from({ length: scenario.herd }, () => driver.get(platform.apiUrl)),
        );
        statuses = results.map((r) => r.status);
      } else {
        for (const status of scenario.script) platform.control.failNextApi(1, failure(status));
        statuses = [(await driver.get(platform.apiUrl)).status];
      }
      expect(new Set(statuses)).toEqual(new Set([outcome.status]));
      // Herd answers arrive in any order; a single request's sequence is exact.
      const api = apiStatuses();
      if (scenario.herd) expect([...api].sort()).toEqual([...outcome.api].sort());
      else expect(api).toEqual(outcome.api);
      expect(platform.control.counters.tokenEndpointCalls).toBe(outcome.tokenRequests);
      if (outcome.seen !== undefined) expect(driver.seen?.()).toEqual(outcome.seen);
    });
  });
}
