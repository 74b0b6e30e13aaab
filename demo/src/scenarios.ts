// The demo's scenarios: what each one does to a client, and the numbers it must produce.
import type { TokenEvent } from '@authwire/core';
import type { MockCounters } from '@authwire/msw';
import type { DemoClient } from './clients.ts';
import type { DemoClock } from './clock.ts';
import type { Platform } from './platforms.ts';

/** What the scenario observed. Counts are deltas over the scenario's measured part. */
export interface Measurement {
  /** Calls the application made. */
  readonly calls: number;
  /** Calls that ended with a 2xx. */
  readonly ok: number;
  /** Requests to the token endpoint (Oracle: login + refresh). */
  readonly tokenRequests: number;
  /** Requests the API origin received (retries included). */
  readonly apiRequests: number;
  /** 401s the API answered; each one was retried once with a fresh token when ok === calls. */
  readonly unauthorized: number;
  /** Refreshes ahead of expiry (token_acquired, reason `refresh`). */
  readonly refreshAhead: number;
  /**
   * Of those, the ones callers waited for (token_request with `background: false`): a provider
   * whose refresh revokes the old token (Oracle) holds callers for the round trip instead of
   * handing out a token that dies on the way.
   */
  readonly refreshHeld: number;
  /**
   * Token-endpoint calls that issued no token (e.g. an Oracle /refresh answered 401, which the
   * provider follows with a login). The demo expects none.
   */
  readonly refused: number;
  /** Requests to the foreign origin, and how many of them carried a token or application id. */
  readonly foreign: number;
  readonly foreignWithToken: number;
  /** The manager's events during the measured part, counted by `type`. */
  readonly events: Readonly<Record<string, number>>;
}

export interface ScenarioContext {
  readonly platform: Platform;
  readonly client: DemoClient;
  readonly clock: DemoClock;
  /** Requests seen by the foreign origin's handler. */
  readonly foreignSeen: () => { total: number; withToken: number };
  readonly foreignUrl: string;
}

export interface Scenario {
  readonly name: string;
  /** The promise, in words, shown with the results. */
  readonly expectation: string;
  /** A remark printed under the expectation, when the numbers need one. */
  readonly note?: string;
  run(context: ScenarioContext): Promise<Measurement>;
  /** Violated expectations, in words; empty when the scenario passed. */
  check(measurement: Measurement): string[];
}

/** How many concurrent callers the load scenarios use. */
export const CONCURRENCY = 100;

function expectEqual(failures: string[], what: string, actual: number, expected: number): void {
  if (actual !== expected) failures.push(`${what}: expected ${expected}, got ${actual}`);
}

function countByType(events: readonly TokenEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { type } of events) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Runs `work` and measures it against the mock's counters and the manager's events. */
async function measure(
  { platform, foreignSeen }: ScenarioContext,
  /** Gets a `settle` to await background token work before moving the simulated clock on. */
  work: (settle: () => Promise<void>) => Promise<number[]>,
): Promise<Measurement> {
  const events: TokenEvent[] = [];
  const unsubscribe = platform.auth.subscribe((event) => events.push(event));
  const before: MockCounters = platform.control.counters;
  const foreignBefore = foreignSeen();
  let statuses: number[];
  try {
    const settleNow = (): Promise<void> => settle(platform, events);
    statuses = await work(settleNow);
    await settleNow();
  } finally {
    unsubscribe();
  }
  const after = platform.control.counters;
  const foreignAfter = foreignSeen();
  return {
    calls: statuses.length,
    ok: statuses.filter((status) => status >= 200 && status < 300).length,
    tokenRequests: after.tokenEndpointCalls - before.tokenEndpointCalls,
    apiRequests: after.apiCalls - before.apiCalls,
    unauthorized: after.api401s - before.api401s,
    refreshAhead: events.filter((e) => e.type === 'token_acquired' && e.reason === 'refresh')
      .length,
    refreshHeld: events.filter(
      (e) => e.type === 'token_request' && e.reason === 'refresh' && !e.background,
    ).length,
    refused:
      after.tokenEndpointCalls -
      after.tokensIssued -
      (before.tokenEndpointCalls - before.tokensIssued),
    foreign: foreignAfter.total - foreignBefore.total,
    foreignWithToken: foreignAfter.withToken - foreignBefore.withToken,
    events: countByType(events),
  };
}

/**
 * Waits until no token request is on its way, so the simulated clock never moves while one is in
 * flight. (Counting only the requests the mock had already received let a background /refresh
 * sent at 8:00 reach the mock after two skipped waves, at 9:00, with a token that had expired at
 * 9:00 minus a few ms: the mock refused it and the provider logged in instead.)
 */
async function settle(platform: Platform, events: readonly TokenEvent[]): Promise<void> {
  // Every token_request ends in exactly one token_acquired or token_request_failed.
  const attemptsOpen = (): number => {
    let open = 0;
    for (const { type } of events) {
      if (type === 'token_request') open += 1;
      else if (type === 'token_acquired' || type === 'token_request_failed') open -= 1;
    }
    return open;
  };
  const busy = (): boolean => platform.tokenRequestsInFlight() > 0 || attemptsOpen() > 0;
  // Two quiet looks a macrotask apart: a refused Oracle /refresh is followed by a login.
  for (let i = 0, quiet = 0; i < 400 && quiet < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, busy() ? 5 : 1));
    quiet = busy() ? 0 : quiet + 1;
  }
}

const many = (count: number, call: (i: number) => Promise<number>): Promise<number[]> =>
  Promise.all(Array.from({ length: count }, (_, i) => call(i)));

const apiUrl = (platform: Platform): string => `${platform.baseUrl}${platform.path}`;

export const coldStart: Scenario = {
  name: 'cold start',
  expectation: `${CONCURRENCY} concurrent calls, 1 token request`,
  run: (context) =>
    measure(context, () => many(CONCURRENCY, () => context.client.get(apiUrl(context.platform)))),
  check(m) {
    const failures: string[] = [];
    expectEqual(failures, 'successful calls', m.ok, m.calls);
    expectEqual(failures, 'token requests', m.tokenRequests, 1);
    expectEqual(failures, 'API requests', m.apiRequests, CONCURRENCY);
    expectEqual(failures, '401s', m.unauthorized, 0);
    return failures;
  },
};

export const unauthorizedHerd: Scenario = {
  name: '401 herd',
  expectation: 'all tokens revoked: 1 token request, each call retried once',
  async run(context) {
    const { client, platform } = context;
    // Warm up: the manager holds a token the server is about to forget.
    await client.get(apiUrl(platform));
    platform.control.revokeAll();
    return measure(context, () => many(CONCURRENCY, () => client.get(apiUrl(platform))));
  },
  check(m) {
    const failures: string[] = [];
    expectEqual(failures, 'successful calls', m.ok, m.calls);
    expectEqual(failures, 'token requests', m.tokenRequests, 1);
    expectEqual(failures, '401s', m.unauthorized, CONCURRENCY);
    expectEqual(failures, 'API requests (each call sent twice)', m.apiRequests, 2 * CONCURRENCY);
    return failures;
  },
};

/** Simulated load: waves of callers, the shared clock moving 30 s between waves. */
const WAVES = 30;
const WAVE_SIZE = 5;
const WAVE_STEP_MS = 30_000;

export const refreshAhead: Scenario = {
  name: 'refresh-ahead',
  note: "Norce refreshes in the background. Oracle's /refresh revokes the token it replaces, so the wave that reaches the refresh window waits for that round trip ('held') instead of sending a token that dies on the way; only requests already sent could meet a 401",
  expectation: `${WAVES} waves of ${WAVE_SIZE} calls over ${(WAVES * WAVE_STEP_MS) / 60_000} simulated minutes: refreshed ahead of expiry, never with a dead token`,
  run: (context) =>
    measure(context, async (settle) => {
      const statuses: number[] = [];
      for (let wave = 0; wave < WAVES; wave++) {
        // A background refresh takes milliseconds, not the 30 s between waves: let it land first.
        if (wave > 0) {
          await settle();
          context.clock.advance(WAVE_STEP_MS);
        }
        statuses.push(
          ...(await many(WAVE_SIZE, () => context.client.get(apiUrl(context.platform)))),
        );
      }
      return statuses;
    }),
  check(m) {
    const failures: string[] = [];
    expectEqual(failures, 'successful calls', m.ok, m.calls);
    if (m.refreshAhead < 1) failures.push('refresh-ahead: expected at least 1, got 0');
    // Between waves nothing is in flight, so not even a revoking refresh meets a request.
    expectEqual(failures, '401s', m.unauthorized, 0);
    // Oracle's /refresh invalidates the old token, so calls already in flight with it may get a
    // 401; each is retried once with the new token, without another token request.
    expectEqual(
      failures,
      'API requests (calls + healed 401s)',
      m.apiRequests,
      m.calls + m.unauthorized,
    );
    // Only the first wave may fetch a token while callers wait; every other fetch ran in the
    // background while the still-valid token was served, and none was refused: a refresh is sent
    // while its token is valid and the clock does not move while it is on its way.
    expectEqual(failures, 'refused token requests', m.refused, 0);
    expectEqual(
      failures,
      'token requests (1 + background refreshes)',
      m.tokenRequests,
      1 + m.refreshAhead,
    );
    return failures;
  },
};

export const foreignOrigin: Scenario = {
  name: 'foreign origin',
  expectation: 'half the calls go elsewhere: no token, no application id there',
  run: (context) =>
    measure(context, () =>
      many(20, (i) =>
        context.client.get(i % 2 === 0 ? apiUrl(context.platform) : context.foreignUrl),
      ),
    ),
  check(m) {
    const failures: string[] = [];
    expectEqual(failures, 'successful calls', m.ok, m.calls);
    expectEqual(failures, 'token requests', m.tokenRequests, 1);
    expectEqual(failures, 'API requests', m.apiRequests, 10);
    expectEqual(failures, 'foreign requests', m.foreign, 10);
    expectEqual(failures, 'foreign requests carrying a token', m.foreignWithToken, 0);
    return failures;
  },
};

export const SCENARIOS: readonly Scenario[] = [
  coldStart,
  unauthorizedHerd,
  refreshAhead,
  foreignOrigin,
];
