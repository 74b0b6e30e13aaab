// One budget for a caller's wait for a token (tokenTimeoutMs): every attempt, back-off and rate-limit wait, on fake time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hungServer } from '../../test-support/src/network-faults.ts';
import {
  clientCredentials,
  createTokenManager,
  InvalidOptionsError,
  RateLimitedError,
  TimeoutError,
  TokenEndpointError,
  type TokenEvent,
  type TokenManager,
  type TokenManagerOptions,
} from '../src/index.ts';
import { systemClock } from '../src/kit.ts';
import { type FakeProviderOptions, fakeProvider } from './fake-provider.ts';

const NOW = 1_700_000_000_000;
const managers: TokenManager[] = [];
beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
  vi.useRealTimers();
});

/** A manager whose back-off jitter is fixed (random 0: the back-off is half its ceiling). */
function setup(provider: FakeProviderOptions, options: TokenManagerOptions = {}) {
  const fake = fakeProvider(provider);
  const events: TokenEvent[] = [];
  const auth = createTokenManager(fake, {
    clock: { ...systemClock, random: () => 0 },
    onEvent: (event) => events.push(event),
    ...options,
  });
  managers.push(auth);
  return { provider: fake, auth, events };
}

/** Runs `promise` to its rejection on fake time; the error and the fake milliseconds it took. */
async function rejectsAfter(promise: Promise<unknown>) {
  const started = Date.now();
  let settled: unknown;
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    (error: unknown) => {
      settled = error;
      done = true;
    },
  );
  for (let i = 0; i < 10_000 && !done; i++) await vi.advanceTimersByTimeAsync(100);
  expect(done).toBe(true);
  expect(settled).toBeInstanceOf(Error);
  return { error: settled as Error, waitedMs: Date.now() - started };
}

const hung: FakeProviderOptions = { delayMs: 10 ** 9 };

describe('tokenTimeoutMs bounds a caller behind a hung identity server', () => {
  it('by default waits 15 s in all (not 3 × 15 s + back-off = 45.6 s) and says so', async () => {
    const { provider, auth, events } = setup(hung);
    const { error, waitedMs } = await rejectsAfter(auth.getToken());
    expect(waitedMs).toBe(15_000);
    expect(provider.calls).toHaveLength(1);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(
      `Token request to ${auth.label} timed out: waited 15000 ms over 1 attempt (requestTimeoutMs 15000, tokenTimeoutMs 15000)`,
    );
    expect(error).toMatchObject({ code: 'timeout', attempts: 1, waitedMs: 15_000 });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ attempts: 1, waitedMs: 15_000 });
    const failed = events.filter((e) => e.type === 'token_request_failed');
    expect(failed).toEqual([expect.objectContaining({ willRetry: false, error })]);
  });

  it('retries a hung attempt while the budget lasts, each attempt getting at most what is left', async () => {
    const { provider, auth } = setup(hung, { requestTimeoutMs: 4_000 });
    const { error, waitedMs } = await rejectsAfter(auth.getToken());
    // 4 000 + back-off 125 + 4 000 + back-off 250 + 4 000 = 12 375: three attempts, all used.
    expect(provider.calls).toHaveLength(3);
    expect(waitedMs).toBeGreaterThanOrEqual(12_375);
    expect(error).toMatchObject({ attempts: 3, waitedMs: 12_375 });
    expect(error.message).toMatch(
      /timed out: waited 12375 ms over 3 attempts \(requestTimeoutMs 4000, tokenTimeoutMs 15000\)$/,
    );
  });

  it('cuts the last attempt short at the budget', async () => {
    const { provider, auth } = setup(hung, { requestTimeoutMs: 6_000, maxAttempts: 5 });
    const { error, waitedMs } = await rejectsAfter(auth.getToken());
    // 6 000 + 125 + 6 000 + 250 + the 2 625 left = 15 000.
    expect(waitedMs).toBe(15_000);
    expect(provider.calls).toHaveLength(3);
    expect(error).toMatchObject({ attempts: 3, waitedMs: 15_000 });
  });

  it('a smaller tokenTimeoutMs bounds even one attempt', async () => {
    const { provider, auth } = setup(hung, { tokenTimeoutMs: 5_000 });
    const { error, waitedMs } = await rejectsAfter(auth.getToken());
    expect(waitedMs).toBe(5_000);
    expect(provider.calls).toHaveLength(1);
    expect(error.message).toContain('waited 5000 ms over 1 attempt');
  });

  it('raising requestTimeoutMs raises the default budget with it (one attempt always fits)', async () => {
    const { provider, auth } = setup(hung, { requestTimeoutMs: 60_000 });
    const { error, waitedMs } = await rejectsAfter(auth.getToken());
    expect(waitedMs).toBe(60_000);
    expect(provider.calls).toHaveLength(1);
    expect(error.message).toContain('(requestTimeoutMs 60000, tokenTimeoutMs 60000)');
  });

  it('a caller joining late waits only for what is left of the shared fetch', async () => {
    const { provider, auth } = setup(hung);
    const first = auth.getToken().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10_000);
    const joined = Date.now();
    let lateAt: number | undefined;
    const late = auth.getToken().catch((error: unknown) => {
      lateAt = Date.now();
      return error;
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await late).toBeInstanceOf(TimeoutError);
    expect(lateAt! - joined).toBe(5_000);
    expect(await first).toBe(await late);
    expect(provider.calls).toHaveLength(1);
  });
});

describe('tokenTimeoutMs and fast failures', () => {
  const unavailable = () =>
    new TokenEndpointError('Token request to x failed with HTTP 503', {
      endpoint: 'x',
      status: 503,
      retryable: true,
    });

  it('sends no retry whose back-off leaves less than a second of the budget; the last error is kept', async () => {
    const { provider, auth, events } = setup(
      { outcome: unavailable },
      { retryBaseDelayMs: 8_000, tokenTimeoutMs: 9_500 },
    );
    const { error, waitedMs } = await rejectsAfter(auth.getToken());
    // Back-off 4 000 leaves 5 500: retried. The next (5 000) would leave 500: not sent.
    expect(provider.calls).toHaveLength(2);
    expect(waitedMs).toBeLessThanOrEqual(4_100);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(events.filter((e) => e.type === 'token_request_failed').map((e) => e.willRetry)).toEqual(
      [true, false],
    );
  });

  it('does not wait out a Retry-After longer than what is left', async () => {
    const { provider, auth } = setup(
      { outcome: (n) => (n === 1 ? new RateLimitedError('x', 8_000) : undefined) },
      { tokenTimeoutMs: 5_000 },
    );
    const { error, waitedMs } = await rejectsAfter(auth.getToken());
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(waitedMs).toBeLessThanOrEqual(100);
    expect(provider.calls).toHaveLength(1);
  });

  it('is validated like every other option', () => {
    for (const bad of [0, -1, Number.NaN, '1000', 2 ** 31]) {
      expect(() => createTokenManager(fakeProvider(), { tokenTimeoutMs: bad as number })).toThrow(
        InvalidOptionsError,
      );
    }
  });
});

describe('tokenTimeoutMs against a real loopback server that never answers', () => {
  it('gives up after the budget, with one request sent', async () => {
    // Only the timers authwire uses are faked: the sockets run on real I/O callbacks.
    vi.useRealTimers();
    vi.useFakeTimers({ now: NOW, toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    const server = await hungServer();
    const auth = createTokenManager(
      clientCredentials({
        tokenUrl: `${server.origin}/token`,
        clientId: 'a',
        clientSecret: 's3cret',
      }),
      { origins: ['https://api.example.com'], tokenTimeoutMs: 3_000 },
    );
    managers.push(auth);
    const pending = auth.getToken();
    // Real sockets, fake timers: wait for the request to arrive before moving time on.
    for (let i = 0; i < 200 && server.requests() === 0; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.requests()).toBe(1);
    const { error } = await rejectsAfter(pending);
    expect(error).toMatchObject({ attempts: 1, waitedMs: 3_000 });
    expect(server.requests()).toBe(1);
    expect(error.message).toMatch(/timed out: waited 3000 ms over 1 attempt/);
  });
});
