// 2c. Steady load on simulated time: token requests per lifetime, callers that waited, expired
// tokens sent — for 60 s, 120 s, 600 s and 3600 s tokens. The mock API judges every token's expiry
// itself, on the same simulated clock, after the request has travelled; the token endpoint takes
// a modelled round trip. Every client runs its default settings, so a change of the core's
// refresh-ahead shows up here without touching the bench.
import { type NorceMock, norceMock } from '@authwire/msw';
import FakeTimers from '@sinonjs/fake-timers';
import { getResponse, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import type { Arm } from '../lib/arms.ts';
import { config } from '../lib/config.ts';
import { norceTarget } from '../lib/fixture.ts';
import { type SimClock, seededRandom, simClock } from '../lib/sim-clock.ts';
import { round } from '../lib/stats.ts';
import { type Factory, factories, tunedCoreFetch } from './herds.ts';

export interface SteadyRow {
  readonly lifetimeS: number;
  readonly client: string;
  readonly kind: Arm['kind'];
  readonly requests: number;
  readonly tokenRequests: number;
  /**
   * Steady-state token requests per token lifetime: those after the cold start, per lifetime of
   * simulated time between the cold start and the last one. `null` with fewer than two instants.
   */
  readonly perLifetime: number | null;
  /**
   * Calls after the cold start that took longer than the API's own latency: they waited for a
   * token (or for a retry after a 401).
   */
  readonly waited: number;
  /** API requests whose token had expired when the API judged it (answered 401). */
  readonly expiredSent: number;
  readonly api401s: number;
  readonly failures: number;
}

export interface SteadyRun {
  readonly lifetimeS: number;
  readonly durationMs: number;
  /** Mean time between ticks; each gap is drawn from [0.5, 1.5) × this (seeded). */
  readonly tickMs: number;
}

export interface SteadyResult {
  readonly perTick: number;
  readonly tokenLatencyMs: number;
  readonly apiLatencyMs: number;
  readonly runs: readonly SteadyRun[];
  readonly rows: readonly SteadyRow[];
}

// Never contacted (MSW answers in-process); any port fetch does not refuse as a "bad port".
const ORIGIN = 'http://127.0.0.1:18080';
const START = Date.UTC(2026, 0, 1);

/**
 * Every request goes through here: it travels `apiLatencyMs` (API) or half the token round trip
 * before the mock sees it, so the mock judges expiry at arrival; a token answer travels the other
 * half back, so a client that dates the token from its arrival believes it lives that much longer.
 */
function withLatency(mock: NorceMock, clock: SimClock, tokenMs: number, apiMs: number) {
  const tokenPath = new URL(mock.tokenUrl).pathname;
  return http.all('*', async ({ request }) => {
    const isToken = new URL(request.url).pathname === tokenPath;
    await clock.sleep(isToken ? tokenMs / 2 : apiMs);
    const response = await getResponse(mock.handlers, request);
    if (isToken) await clock.sleep(tokenMs / 2);
    return response ?? HttpResponse.text('no handler', { status: 404 });
  });
}

/** The clients of one lifetime's rows: every default, the fixed windows, the peers. */
function clientsFor(lifetimeS: number): Factory[] {
  const all = factories();
  const byName = (name: string): Factory => all.find((f) => f.name === name) as Factory;
  const fewer = lifetimeS >= config.steady.fewerClientsFromS;
  const adapters =
    lifetimeS === config.steady.allAdaptersAtS
      ? all.filter((f) => f.kind === 'authwire')
      : fewer
        ? [byName('authwire core + fetch')]
        : [byName('authwire core + fetch'), byName('authwire + axios')];
  const peers = fewer
    ? [byName('axios-auth-refresh'), byName('@badgateway OAuth2Fetch')]
    : all.filter((f) => f.kind === 'peer');
  return [
    ...adapters,
    tunedCoreFetch('refreshWindowMs 10 s', { refreshWindowMs: 10_000 }),
    tunedCoreFetch('no refresh-ahead (window and margin 0)', {
      refreshWindowMs: 0,
      expiryMarginMs: 0,
    }),
    ...peers,
  ];
}

export async function runSteady(log: (line: string) => void): Promise<SteadyResult> {
  const { perTick, tokenLatencyMs, apiLatencyMs, lifetimes } = config.steady;
  const server = setupServer();
  server.listen({ onUnhandledFrame: 'error' });
  // Only Date is faked: the peers read it; timers and the event loop stay real.
  const fake = FakeTimers.install({ toFake: ['Date'], now: START });
  const rows: SteadyRow[] = [];
  const runs: SteadyRun[] = [];
  try {
    for (const [lifetimeS, count, tickMs] of lifetimes) {
      const run = { lifetimeS, durationMs: lifetimeS * 1000 * count, tickMs };
      runs.push(run);
      for (const factory of clientsFor(lifetimeS)) {
        rows.push(await runSteadyClient(server, fake, factory, run));
      }
      log(`  steady: ${lifetimeS} s tokens done`);
    }
  } finally {
    fake.uninstall();
    server.close();
  }
  return { perTick, tokenLatencyMs, apiLatencyMs, runs, rows };
}

/** One client through one steady-load run on a fresh mock and simulated clock. */
export async function runSteadyClient(
  msw: ReturnType<typeof setupServer>,
  date: { setSystemTime(now: number): void },
  factory: Factory,
  { lifetimeS, durationMs, tickMs }: SteadyRun,
): Promise<SteadyRow> {
  const { perTick, tokenLatencyMs, apiLatencyMs } = config.steady;
  const clock = simClock(START);
  date.setSystemTime(START);
  const mock = norceMock({
    baseUrl: ORIGIN,
    rateLimit: false,
    tokenLifetime: lifetimeS,
    now: clock.now,
  });
  msw.resetHandlers(withLatency(mock, clock, tokenLatencyMs, apiLatencyMs));
  const { arm, close } = factory.build(norceTarget(mock), clock);

  let finished = 0;
  let outstanding = 0;
  let waited = 0;
  let failures = 0;
  let requests = 0;
  const progress = (): number => clock.activity() + finished;
  // Nothing left to run but simulated waits: three quiet turns of the event loop in a row.
  const drain = async (): Promise<void> => {
    let last = -1;
    for (let quiet = 0; quiet < 3; ) {
      await new Promise((resolve) => setImmediate(resolve));
      const now = progress();
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
  };
  const moveTo = async (at: number): Promise<void> => {
    for (let due = clock.nextDue(); due !== undefined && due <= at; due = clock.nextDue()) {
      clock.advanceTo(due);
      date.setSystemTime(clock.now());
      await drain();
    }
    clock.advanceTo(at);
    date.setSystemTime(clock.now());
  };
  const call = async (coldStart: boolean): Promise<void> => {
    const arrived = clock.now();
    outstanding += 1;
    requests += 1;
    const status = await arm.send();
    if (!coldStart && clock.now() - arrived > apiLatencyMs) waited += 1;
    if (status !== 200) failures += 1;
    outstanding -= 1;
    finished += 1;
  };

  const pending: Promise<void>[] = [];
  // Irregular gaps, the same on every run: callers do not arrive in step with token expiries.
  const gap = seededRandom(lifetimeS);
  for (let at = START; at < START + durationMs; at += Math.round(tickMs * (0.5 + gap()))) {
    await moveTo(at);
    for (let i = 0; i < perTick; i++) pending.push(call(at === START));
    await drain();
  }
  // Let the last calls and any refresh in flight finish on simulated time.
  for (let i = 0; i < 10_000 && (outstanding > 0 || clock.nextDue() !== undefined); i++) {
    const due = clock.nextDue();
    if (due === undefined || due > START + durationMs + 60_000) break;
    await moveTo(due);
  }
  await Promise.all(pending);
  await close();

  const counters = mock.control.counters;
  const issued = mock.control.issuedTokens.map((t) => t.issuedAt);
  const first = issued[0];
  const last = issued[issued.length - 1];
  const afterFirst = issued.filter((t) => t !== first).length;
  const perLifetime =
    first === undefined || last === undefined || last === first
      ? null
      : round((afterFirst * lifetimeS * 1000) / (last - first), 3);
  return {
    lifetimeS,
    client: factory.name,
    kind: factory.kind,
    requests,
    tokenRequests: counters.tokenRequests,
    perLifetime,
    waited,
    expiredSent: mock.control.apiRequests.filter((r) => r.token === 'expired').length,
    api401s: counters.api401s,
    failures,
  };
}

/** {@link runSteadyClient} with its own MSW server and faked Date, for tests. */
export async function runSteadyOnce(factory: Factory, run: SteadyRun): Promise<SteadyRow> {
  const server = setupServer();
  server.listen({ onUnhandledFrame: 'error' });
  const fake = FakeTimers.install({ toFake: ['Date'], now: START });
  try {
    return await runSteadyClient(server, fake, factory, run);
  } finally {
    fake.uninstall();
    server.close();
  }
}
