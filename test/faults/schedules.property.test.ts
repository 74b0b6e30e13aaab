// Property: random schedules of requests, expiries, revocations, aborts and token-endpoint failures
// through @authwire/ky + the Norce mock, with fast-check deciding the order every fetch completes in.
import { isAuthwireError, type Token, type TokenManager } from '@authwire/core';
import { withAuth } from '@authwire/ky';
import { manualClock, type TokenEndpointFailure } from '@authwire/msw';
import { settle } from '@authwire/test-support';
import fc from 'fast-check';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { NORCE } from '../drivers/platforms.ts';
import { leakGuard } from './leak-guard.ts';
import { routeFetch } from './route-fetch.ts';

type Op =
  | { readonly kind: 'requests'; readonly n: number }
  | { readonly kind: 'abort' }
  | { readonly kind: 'revokeAll' }
  | { readonly kind: 'failToken'; readonly failure: TokenEndpointFailure; readonly count: number }
  | { readonly kind: 'failApi401'; readonly count: number };
interface Wave {
  readonly ops: readonly Op[];
  /** Time that passes after the wave, with nothing in flight. */
  readonly advanceMs: number;
}

const failureArb = fc.constantFrom<TokenEndpointFailure>(
  { status: 500 },
  { status: 503 },
  { status: 429, retryAfter: 1 },
  { status: 429, retryAfter: 3600 },
  { status: 429 },
  'malformed-json',
  'network-error',
  'empty',
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('requests' as const),
      n: fc.integer({ min: 1, max: 6 }),
    }),
  },
  fc.record({ kind: fc.constant('abort' as const) }),
  fc.record({ kind: fc.constant('revokeAll' as const) }),
  fc.record({
    kind: fc.constant('failToken' as const),
    failure: failureArb,
    count: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant('failApi401' as const), count: fc.integer({ min: 1, max: 2 }) }),
);
const waveArb: fc.Arbitrary<Wave> = fc.record({
  ops: fc.array(opArb, { minLength: 1, maxLength: 5 }),
  advanceMs: fc.constantFrom(0, 1_000, 60_000, 30 * 60_000, 3_450_000, 3_600_000, 2 * 3_600_000),
});

interface Caller {
  readonly id: number;
  readonly aborts: boolean;
  settled: boolean;
  outcome?: { status: number } | { error: unknown };
}

const leaks = leakGuard();

async function run(s: fc.Scheduler, waves: readonly Wave[]): Promise<void> {
  const clock = manualClock();
  let inFlight = 0;
  let maxInFlight = 0;
  const sends = new Map<string, number>();
  const problems: string[] = [];

  // Every fetch (token or API) completes when the scheduler says so, then goes to the mock.
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const isToken = request.url === platform.tokenUrl;
    if (isToken) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
    } else {
      const id = request.headers.get('x-call') ?? '?';
      sends.set(id, (sends.get(id) ?? 0) + 1);
    }
    try {
      await s.schedule(Promise.resolve(), isToken ? 'token' : 'api');
      if (request.signal.aborted) throw request.signal.reason;
      return await route(request);
    } finally {
      if (isToken) inFlight -= 1;
    }
  };

  // The Norce mock and preset, on the manual clock and the scheduled fetch.
  const platform = NORCE.create({ now: clock.now, manager: { clock, fetch } });
  const route = routeFetch(() => platform.handlers);
  const { auth, apiUrl } = platform;
  // Whatever the manager hands out must be unexpired by its own reckoning at that moment.
  const check = (token: Token, how: string): void => {
    if (clock.now() >= token.expiresAt)
      problems.push(`${how} handed out a token it knew was expired`);
  };
  const watched = new Proxy(auth, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property !== 'authorize' && property !== 'reauthorize') return value.bind(target);
      return async (...args: unknown[]) => {
        const result = await (
          value as (...a: unknown[]) => Promise<{ token: Token } | undefined>
        ).apply(target, args);
        if (result) check(result.token, String(property));
        return result;
      };
    },
  }) as TokenManager;
  const client = withAuth(
    ky.create({ retry: 0, timeout: false, throwHttpErrors: false, fetch }),
    watched,
  );

  const callers: Caller[] = [];
  const call = (aborts: boolean): void => {
    const caller: Caller = { id: callers.length, aborts, settled: false };
    callers.push(caller);
    const controller = new AbortController();
    if (aborts) void s.schedule(Promise.resolve(), 'abort').then(() => controller.abort());
    client
      .get(apiUrl, { headers: { 'x-call': String(caller.id) }, signal: controller.signal })
      .then(async (response) => {
        await response.arrayBuffer();
        caller.outcome = { status: response.status };
      })
      .catch((error: unknown) => {
        caller.outcome = { error };
      })
      .finally(() => {
        caller.settled = true;
      });
  };
  const at = (label: string, action: () => void): void => {
    void s.schedule(Promise.resolve(), label).then(action);
  };

  // Runs everything scheduled, firing timers (back-off, Retry-After) only when nothing is in flight.
  const drain = async (): Promise<void> => {
    for (let i = 0; i < 1_000; i++) {
      await settle(3);
      if (s.count() > 0) await s.waitAll();
      else if (!clock.next()) return;
    }
  };

  try {
    for (const wave of waves) {
      for (const op of wave.ops) {
        if (op.kind === 'requests') for (let i = 0; i < op.n; i++) call(false);
        else if (op.kind === 'abort') call(true);
        else if (op.kind === 'revokeAll') at('revokeAll', () => platform.control.revokeAll());
        else if (op.kind === 'failToken')
          at('failToken', () => platform.control.failNext(op.count, op.failure));
        else at('failApi', () => platform.control.failNextApi(op.count, { status: 401 }));
      }
      await drain();
      clock.advance(wave.advanceMs);
    }
    await drain();

    // Every caller settled, with a status or a typed error (an abort for those that aborted).
    expect(callers.filter((c) => !c.settled).map((c) => c.id)).toEqual([]);
    for (const caller of callers) {
      if (!caller.outcome || !('error' in caller.outcome)) continue;
      const { error } = caller.outcome;
      const typed =
        isAuthwireError(error) || (caller.aborts && (error as Error).name === 'AbortError');
      expect(typed, `caller ${caller.id}: ${String(error)}`).toBe(true);
    }
    // ≤ 1 token request in flight for the one key.
    expect(maxInFlight).toBeLessThanOrEqual(1);
    // Each API request is sent at most twice (the one retry after a 401).
    expect([...sends.entries()].filter(([, n]) => n > 2)).toEqual([]);
    expect(platform.control.apiRequests.length).toBeLessThanOrEqual(2 * callers.length);
    // No token the manager knew was expired was handed out, or reached the API.
    expect(problems).toEqual([]);
    expect(platform.control.apiRequests.filter((r) => r.token === 'expired')).toEqual([]);
  } finally {
    await drain();
    await auth.close();
  }
}

describe('random schedules through ky + the Norce mock', () => {
  it('keeps single-flight, one retry per request, no expired token sent, and settles every caller', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(waveArb, { minLength: 1, maxLength: 5 }), run),
      { numRuns: 150 },
    );
    await settle(3);
    expect(leaks.unhandled).toEqual([]);
    leaks.unhandled.length = 0;
  });
});
