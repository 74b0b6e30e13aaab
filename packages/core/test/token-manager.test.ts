import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AbortedError,
  ClosedError,
  createTokenManager,
  InsecureUrlError,
  InvalidOptionsError,
  InvalidTokenResponseError,
  memoryStore,
  RateLimitedError,
  TimeoutError,
  TokenEndpointError,
  type TokenEvent,
  type TokenManager,
  type TokenManagerOptions,
} from '../src/index.ts';
import { requestAuth } from '../src/kit.ts';
import { cached } from './cached.ts';
import { type FakeProviderOptions, fakeProvider } from './fake-provider.ts';

const API = 'https://api.example.com/orders';
const managers: TokenManager[] = [];

function setup(providerOptions: FakeProviderOptions = {}, options: TokenManagerOptions = {}) {
  const provider = fakeProvider(providerOptions);
  const events: TokenEvent[] = [];
  const auth = createTokenManager(provider, {
    store: memoryStore(),
    onEvent: (event) => events.push(event),
    ...options,
  });
  managers.push(auth);
  return { provider, auth, events };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
  vi.useRealTimers();
});

const retryable = () =>
  new TokenEndpointError('boom', { endpoint: 'x', status: 503, retryable: true });

describe('caching and single-flight', () => {
  it('makes one token request for 500 concurrent cold callers', async () => {
    const { provider, auth } = setup({ delayMs: 50 });
    const all = Promise.all(Array.from({ length: 500 }, () => auth.getToken()));
    await vi.advanceTimersByTimeAsync(50);
    const tokens = await all;
    expect(provider.calls).toHaveLength(1);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
  });

  it('serves the cached token without another request', async () => {
    const { provider, auth } = setup();
    const first = await auth.getToken();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await auth.getToken()).toBe(first);
    expect(provider.calls).toHaveLength(1);
  });

  it("cancels only the aborting caller's wait, not the shared fetch", async () => {
    const { provider, auth } = setup({ delayMs: 100 });
    const controller = new AbortController();
    const aborted = auth.getToken({ signal: controller.signal });
    const others = Array.from({ length: 50 }, () => auth.getToken());
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(AbortedError);
    await vi.advanceTimersByTimeAsync(100);
    const tokens = await Promise.all(others);
    expect(tokens.every((t) => t.accessToken === 'token-1')).toBe(true);
    expect(provider.calls).toHaveLength(1);
    expect(provider.calls[0]?.signal.aborted).toBe(false);
  });

  it("bounds one caller's wait with timeoutMs, leaving the shared fetch running", async () => {
    const { provider, auth } = setup({ delayMs: 5_000 });
    const impatient = auth.getToken({ timeoutMs: 100 });
    const patient = auth.getToken();
    const outcome = expect(impatient).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(100);
    await outcome;
    await vi.advanceTimersByTimeAsync(4_900);
    expect((await patient).accessToken).toBe('token-1');
    expect(provider.calls).toHaveLength(1);
    // A cached token needs no timer at all.
    expect(await auth.getToken({ timeoutMs: 1 })).toBe(await patient);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports an AbortSignal.timeout() as a TimeoutError', async () => {
    const { auth } = setup({ delayMs: 5_000 });
    const pending = auth.getToken({ signal: AbortSignal.timeout(50) });
    const outcome = expect(pending).rejects.toMatchObject({ code: 'timeout' });
    await vi.advanceTimersByTimeAsync(60);
    await outcome;
  });

  it('rejects at once for an already aborted signal, without a request', async () => {
    const { provider, auth } = setup();
    await expect(auth.getToken({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortedError,
    );
    expect(provider.calls).toHaveLength(0);
  });

  it('forceRefresh fetches a new token once for many callers', async () => {
    const { provider, auth } = setup({ delayMs: 10 });
    await vi.advanceTimersByTimeAsync(0);
    const first = auth.getToken();
    await vi.advanceTimersByTimeAsync(10);
    await first;
    const forced = Promise.all(
      Array.from({ length: 20 }, () => auth.getToken({ forceRefresh: true })),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(new Set((await forced).map((t) => t.accessToken))).toEqual(new Set(['token-2']));
    expect(provider.calls.map((c) => c.reason)).toEqual(['initial', 'forced']);
  });

  it('shares the token and the in-flight fetch between managers of one key (process-wide default store)', async () => {
    const key = `shared-${Math.random()}`;
    const a = fakeProvider({ key, delayMs: 20 });
    const b = fakeProvider({ key, delayMs: 20 });
    const managerA = createTokenManager(a);
    const managerB = createTokenManager(b);
    managers.push(managerA, managerB);
    const both = Promise.all([managerA.getToken(), managerB.getToken()]);
    await vi.advanceTimersByTimeAsync(20);
    const [ta, tb] = await both;
    expect(ta).toBe(tb);
    expect(a.calls.length + b.calls.length).toBe(1);
    // A manager created per request (the classic mistake) still reuses the cached token.
    const perRequest = createTokenManager(fakeProvider({ key }));
    managers.push(perRequest);
    expect(await perRequest.getToken()).toBe(ta);
  });
});

describe('refresh-ahead', () => {
  const HOUR = 3_600_000;

  it('serves the valid token at once inside the window while one background refresh runs', async () => {
    const { provider, auth, events } = setup({ lifetimeMs: HOUR, delayMs: 1_000 });
    const first = auth.getToken();
    await vi.advanceTimersByTimeAsync(1_000);
    const t1 = await first;
    await vi.advanceTimersByTimeAsync(t1.expiresAt - Date.now() - 100_000); // 100 s left, window is 120 s
    const during = await Promise.all(Array.from({ length: 100 }, () => auth.getToken()));
    expect(during.every((t) => t === t1)).toBe(true);
    await vi.advanceTimersByTimeAsync(0); // the refresh starts after a store read
    expect(provider.calls).toHaveLength(2);
    expect(provider.calls[1]?.reason).toBe('refresh');
    expect(provider.calls[1]?.current).toBe(t1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await auth.getToken()).accessToken).toBe('token-2');
    expect(events.filter((e) => e.type === 'token_acquired')).toHaveLength(2);
  });

  it('does not refresh before the window', async () => {
    const { provider, auth } = setup({ lifetimeMs: HOUR });
    const t1 = await auth.getToken();
    await vi.advanceTimersByTimeAsync(t1.expiresAt - Date.now() - 135_000); // window + max jitter = 132 s
    await auth.getToken();
    expect(provider.calls).toHaveLength(1);
  });

  it('scales the window to a fifth of a short lifetime (a 5-minute token is not refreshed on every call)', async () => {
    const { provider, auth } = setup({ lifetimeMs: 300_000 });
    await auth.getToken();
    await vi.advanceTimersByTimeAsync(230_000); // 70 s left: outside min(120 s, 60 s) + 6 s jitter
    await auth.getToken();
    await vi.advanceTimersByTimeAsync(0);
    expect(provider.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20_000); // 50 s left
    await auth.getToken();
    await vi.advanceTimersByTimeAsync(0);
    expect(provider.calls).toHaveLength(2);
  });

  it('keeps serving the valid token when the background refresh fails, and retries later with back-off', async () => {
    const { provider, auth, events } = setup({
      lifetimeMs: HOUR,
      outcome: (n) =>
        n === 2 || n === 3
          ? new TokenEndpointError('nope', { endpoint: 'x', status: 400, retryable: false })
          : undefined,
    });
    const t1 = await auth.getToken();
    await vi.advanceTimersByTimeAsync(t1.expiresAt - Date.now() - 100_000);
    expect(await auth.getToken()).toBe(t1);
    await vi.advanceTimersByTimeAsync(0);
    expect(events.some((e) => e.type === 'token_request_failed' && e.background)).toBe(true);
    // Right after a failure, calls do not hammer the endpoint.
    for (let i = 0; i < 20; i++) expect(await auth.getToken()).toBe(t1);
    expect(provider.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000); // past the first back-off (≤ 1 s)
    expect(await auth.getToken()).toBe(t1);
    await vi.advanceTimersByTimeAsync(0);
    expect(provider.calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(4_000);
    await auth.getToken();
    await vi.advanceTimersByTimeAsync(0);
    expect((await auth.getToken()).accessToken).toBe('token-4');
  });

  it('makes callers wait once the token is near hard expiry', async () => {
    const { provider, auth } = setup({ lifetimeMs: HOUR, delayMs: 500 });
    const first = auth.getToken();
    await vi.advanceTimersByTimeAsync(500);
    const t1 = await first;
    await vi.advanceTimersByTimeAsync(t1.expiresAt - Date.now() - 10_000); // inside the 30 s margin
    const pending = auth.getToken();
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(400);
    expect((await pending).accessToken).toBe('token-2');
    expect(provider.calls).toHaveLength(2);
  });
});

describe('invalidation after a 401', () => {
  it('never drops a newer token', async () => {
    const { provider, auth } = setup();
    const t1 = await auth.getToken();
    const t2 = await auth.getToken({ forceRefresh: true });
    await auth.invalidate(t1);
    expect(await auth.getToken()).toBe(t2);
    expect(provider.calls).toHaveLength(2);
  });

  it('heals a herd of 200 simultaneous 401s with one token request', async () => {
    const { provider, auth, events } = setup({ delayMs: 30 });
    const t1 = await (async () => {
      const p = auth.getToken();
      await vi.advanceTimersByTimeAsync(30);
      return p;
    })();
    const herd = Promise.all(Array.from({ length: 200 }, () => auth.reauthorize(API, t1)));
    await vi.advanceTimersByTimeAsync(30);
    const results = await herd;
    expect(provider.calls).toHaveLength(2);
    expect(provider.calls[1]?.reason).toBe('unauthorized');
    expect(new Set(results.map((r) => r?.headers.Authorization))).toEqual(
      new Set(['Bearer token-2']),
    );
    expect(events.filter((e) => e.type === 'unauthorized_retry')).toHaveLength(200);
  });

  it('reauthorize after someone already replaced the token reuses theirs', async () => {
    const { provider, auth } = setup();
    const t1 = await auth.getToken();
    const t2 = await auth.getToken({ forceRefresh: true });
    const again = await auth.reauthorize(API, t1);
    expect(again?.token).toBe(t2);
    expect(provider.calls).toHaveLength(2);
  });
});

describe('token-endpoint failures', () => {
  it('retries 5xx with back-off, then succeeds', async () => {
    const { provider, auth, events } = setup({ outcome: (n) => (n < 3 ? retryable() : undefined) });
    const pending = auth.getToken();
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await pending).accessToken).toBe('token-3');
    expect(provider.calls).toHaveLength(3);
    expect(
      events.flatMap((e) => (e.type === 'token_request_failed' ? [[e.attempt, e.willRetry]] : [])),
    ).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(
      events
        .filter((e) => e.type === 'token_acquired')
        .map((e) => e.type === 'token_acquired' && e.attempt),
    ).toEqual([3]);
  });

  it('gives up after maxAttempts', async () => {
    const { provider, auth } = setup({ outcome: () => retryable() }, { maxAttempts: 4 });
    const pending = auth.getToken();
    const outcome = expect(pending).rejects.toBeInstanceOf(TokenEndpointError);
    await vi.advanceTimersByTimeAsync(60_000);
    await outcome;
    expect(provider.calls).toHaveLength(4);
  });

  it('fails fast on a non-retryable error (400 invalid_client)', async () => {
    const { provider, auth } = setup({
      outcome: () =>
        new TokenEndpointError('bad', {
          endpoint: 'x',
          status: 400,
          error: 'invalid_client',
          retryable: false,
        }),
    });
    await expect(auth.getToken()).rejects.toMatchObject({
      code: 'token_request_failed',
      error: 'invalid_client',
    });
    expect(provider.calls).toHaveLength(1);
  });

  it('does not cache failures: the next call tries again', async () => {
    const { provider, auth } = setup({
      outcome: (n) =>
        n === 1
          ? new TokenEndpointError('bad', { endpoint: 'x', status: 400, retryable: false })
          : undefined,
    });
    await expect(auth.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    expect((await auth.getToken()).accessToken).toBe('token-2');
    expect(provider.calls).toHaveLength(2);
  });

  it('honours a long Retry-After: fails fast, and sends nothing until it has passed', async () => {
    const { provider, auth, events } = setup({
      outcome: (n) => (n === 1 ? new RateLimitedError('x', 60_000) : undefined),
    });
    await expect(auth.getToken()).rejects.toBeInstanceOf(RateLimitedError);
    for (let i = 0; i < 10; i++) {
      await expect(auth.getToken()).rejects.toMatchObject({ code: 'rate_limited' });
    }
    expect(provider.calls).toHaveLength(1);
    expect(events.some((e) => e.type === 'rate_limited')).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await auth.getToken()).accessToken).toBe('token-2');
  });

  it('waits out a short Retry-After and retries', async () => {
    const { provider, auth } = setup({
      outcome: (n) => (n === 1 ? new RateLimitedError('x', 2_000) : undefined),
    });
    const pending = auth.getToken();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(provider.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).accessToken).toBe('token-2');
  });

  it('times out a hanging token request, retries, then reports a TimeoutError', async () => {
    const { provider, auth } = setup(
      { delayMs: 10 ** 9 },
      { requestTimeoutMs: 1_000, maxAttempts: 2 },
    );
    const pending = auth.getToken();
    const outcome = expect(pending).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(5_000);
    await outcome;
    expect(provider.calls).toHaveLength(2);
    expect(provider.calls.every((c) => c.signal.aborted)).toBe(true);
  });
});

describe('declared rate limit', () => {
  const rateLimit = { requests: 3, intervalMs: 60_000, burst: 2, key: 'https://id.example.com' };

  it('waits for a free slot instead of provoking a 429', async () => {
    const { provider, auth } = setup({ rateLimit }, { maxRetryAfterMs: 30_000 });
    await auth.getToken({ forceRefresh: true });
    await auth.getToken({ forceRefresh: true });
    const third = auth.getToken({ forceRefresh: true });
    await vi.advanceTimersByTimeAsync(19_000);
    expect(provider.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    await third;
    expect(provider.calls).toHaveLength(3);
  });

  it('fails with RateLimitedError when the wait would be too long', async () => {
    const { provider, auth } = setup({ rateLimit });
    await auth.getToken({ forceRefresh: true });
    await auth.getToken({ forceRefresh: true });
    await expect(auth.getToken({ forceRefresh: true })).rejects.toBeInstanceOf(RateLimitedError);
    expect(provider.calls).toHaveLength(2);
  });
});

describe('authorize', () => {
  it('returns Authorization plus provider headers for allowed origins only', async () => {
    const { provider, auth } = setup({ headers: () => ({ ApplicationId: '42' }) });
    const result = await auth.authorize(API);
    expect(result?.headers).toEqual({ ApplicationId: '42', Authorization: 'Bearer token-1' });
    expect(await auth.authorize('https://evil.example.com/orders')).toBeUndefined();
    expect(await auth.authorize('http://api.example.com/orders')).toBeUndefined();
    expect(await auth.authorize('not a url')).toBeUndefined();
    expect(provider.calls).toHaveLength(1);
  });

  it('writes a lower-case bearer type as Bearer', async () => {
    const provider = {
      key: `lower-${Math.random()}`,
      origins: ['https://api.example.com'],
      fetchToken: async () => ({
        accessToken: 'abc',
        tokenType: 'bearer',
        issuedAt: Date.now(),
        expiresAt: Date.now() + 60_000,
      }),
    };
    const auth = createTokenManager(provider, { store: memoryStore() });
    managers.push(auth);
    expect((await auth.authorize(API))?.headers.Authorization).toBe('Bearer abc');
  });

  it('validates origins', () => {
    const provider = fakeProvider();
    expect(() => createTokenManager({ ...provider, origins: [] })).toThrow(InvalidOptionsError);
    expect(() => createTokenManager(provider, { origins: ['http://api.example.com'] })).toThrow(
      InsecureUrlError,
    );
    expect(() => createTokenManager(provider, { origins: ['nope'] })).toThrow(InvalidOptionsError);
    expect(() => createTokenManager(provider, { refreshWindowMs: -1 })).toThrow(/refreshWindowMs/);
    const local = createTokenManager(provider, {
      origins: ['http://127.0.0.1:8080'],
      store: memoryStore(),
    });
    managers.push(local);
    expect(requestAuth(local).allows('http://127.0.0.1:8080/x')).toBe(true);
  });
});

describe('authorize() on the hot path: at once when cached', () => {
  it('is undefined until a token is cached, then the same Authorization authorize() gives', async () => {
    const { provider, auth } = setup({ headers: () => ({ ApplicationId: '42' }) });
    expect(await cached(auth, API)).toBeUndefined(); // nothing cached: it waits for a token
    expect(provider.calls.length).toBeLessThanOrEqual(1);
    const authorized = await auth.authorize(API);
    expect(await cached(auth, API)).toBe(authorized);
    expect(await cached(auth, new URL(API))).toBe(authorized);
    expect(await cached(auth, 'https://evil.example.com/orders')).toBeUndefined();
    expect(await cached(auth, 'not a url')).toBeUndefined();
  });

  it('is undefined once the token is past its margin, and starts the refresh inside the window', async () => {
    const HOUR = 3_600_000;
    const { provider, auth } = setup({ lifetimeMs: HOUR });
    const t1 = await auth.getToken();
    await vi.advanceTimersByTimeAsync(t1.expiresAt - Date.now() - 100_000); // inside the window
    expect((await cached(auth, API))?.token).toBe(t1);
    await vi.advanceTimersByTimeAsync(0);
    expect(provider.calls.map((call) => call.reason)).toEqual(['initial', 'refresh']);
    const t2 = await auth.getToken();
    await vi.advanceTimersByTimeAsync(t2.expiresAt - Date.now() - 29_000); // inside the margin
    expect(await cached(auth, API)).toBeUndefined();
  });

  it('is undefined after invalidate() and after close(), without throwing', async () => {
    const { auth } = setup();
    const token = await auth.getToken();
    await auth.invalidate(token);
    expect(await cached(auth, API)).toBeUndefined();
    await auth.getToken();
    expect(await cached(auth, API)).toBeDefined();
    await auth.close();
    expect(await cached(auth, API)).toBeUndefined();
  });
});

describe('close', () => {
  it('rejects waiting callers, refuses later calls and leaves no timers', async () => {
    const { provider, auth } = setup({ delayMs: 10_000 });
    const pending = auth.getToken();
    await vi.advanceTimersByTimeAsync(0); // the fetch is under way
    const outcome = expect(pending).rejects.toBeInstanceOf(ClosedError);
    await auth.close();
    await outcome;
    await expect(auth.getToken()).rejects.toBeInstanceOf(ClosedError);
    expect(provider.calls[0]?.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('calls the provider revoke on close when asked', async () => {
    const revoked: string[] = [];
    const provider = {
      ...fakeProvider(),
      revoke: async (token: { accessToken: string }) => void revoked.push(token.accessToken),
    };
    const auth = createTokenManager(provider, { store: memoryStore(), revokeOnClose: true });
    await auth.getToken();
    await auth.close();
    expect(revoked).toEqual(['token-1']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('gaps found by mutation testing', () => {
  it('reauthorize gives nothing to a foreign origin and fetches nothing', async () => {
    const { provider, auth } = setup();
    const t1 = await auth.getToken();
    expect(await auth.reauthorize('https://evil.example.com/x', t1)).toBeUndefined();
    expect(provider.calls).toHaveLength(1);
    expect(await auth.getToken()).toBe(t1);
  });

  it('refuses even a cached token after close', async () => {
    const { auth } = setup();
    await auth.getToken();
    await auth.close();
    await expect(auth.getToken()).rejects.toBeInstanceOf(ClosedError);
    await expect(auth.authorize(API)).rejects.toBeInstanceOf(ClosedError);
  });

  it('does not retry an invalid token response or a provider bug', async () => {
    const invalid = setup({
      outcome: () => new InvalidTokenResponseError('x', 200, 'no access_token'),
    });
    await expect(invalid.auth.getToken()).rejects.toBeInstanceOf(InvalidTokenResponseError);
    expect(invalid.provider.calls).toHaveLength(1);
    const buggy = setup({ outcome: () => new TypeError('provider bug') });
    await expect(buggy.auth.getToken()).rejects.toBeInstanceOf(TypeError);
    expect(buggy.provider.calls).toHaveLength(1);
  });

  it('stores a token for exactly its remaining lifetime', async () => {
    const ttls: number[] = [];
    const store = memoryStore();
    const { auth } = setup(
      { lifetimeMs: 600_000 },
      {
        store: {
          ...store,
          set: (k, t, ttl) => {
            ttls.push(ttl);
            return store.set(k, t, ttl);
          },
        },
      },
    );
    await auth.getToken();
    expect(ttls).toEqual([600_000]);
  });

  it('caps the refresh window at a fifth, and the expiry margin at a twentieth, of a short lifetime', async () => {
    // 60 s token: window min(120 s, 12 s) = 12 s (+ up to 1.2 s jitter), margin min(30 s, 3 s) = 3 s.
    const { provider, auth } = setup({ lifetimeMs: 60_000, delayMs: 1_000 });
    const first = auth.getToken();
    await vi.advanceTimersByTimeAsync(1_000);
    const t1 = await first;
    await vi.advanceTimersByTimeAsync(t1.expiresAt - Date.now() - 14_000);
    expect(await auth.getToken()).toBe(t1);
    await vi.advanceTimersByTimeAsync(0);
    expect(provider.calls).toHaveLength(1);
    // 4 s left: inside the window (background refresh), outside the 3 s margin (served at once).
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await auth.getToken()).toBe(t1);
    await vi.advanceTimersByTimeAsync(0);
    expect(provider.calls).toHaveLength(2);
  });

  it('leaves no timer behind when a wait bounded by timeoutMs succeeds', async () => {
    const { auth } = setup({ delayMs: 10 });
    const pending = auth.getToken({ timeoutMs: 60_000 });
    await vi.advanceTimersByTimeAsync(10);
    await pending;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not revoke on close unless asked', async () => {
    const revoked: string[] = [];
    const provider = {
      ...fakeProvider(),
      revoke: async (token: { accessToken: string }) => void revoked.push(token.accessToken),
    };
    const auth = createTokenManager(provider, { store: memoryStore() });
    await auth.getToken();
    await auth.close();
    expect(revoked).toEqual([]);
  });

  it('stops calling a listener after it unsubscribes', async () => {
    const { auth } = setup();
    const seen: string[] = [];
    const unsubscribe = auth.subscribe((event) => seen.push(event.type));
    await auth.getToken();
    unsubscribe();
    await auth.getToken({ forceRefresh: true });
    expect(seen).toEqual(['token_request', 'token_acquired']);
  });

  it('validates the provider', () => {
    expect(() => createTokenManager(null as never)).toThrow(InvalidOptionsError);
    expect(() => createTokenManager({ key: 'k' } as never)).toThrow(/fetchToken/);
    expect(() =>
      createTokenManager({ key: '', fetchToken: async () => ({}) as never }, { origins: [API] }),
    ).toThrow(/provider.key/);
  });
});

describe('allows(): the fast origin check', () => {
  it.each([
    ['https://api.example.com', true],
    ['https://api.example.com/orders?x=1', true],
    ['https://api.example.com?x', true],
    ['https://api.example.com#f', true],
    ['https://API.example.com:443/orders', true],
    ['https://api.example.com.evil.com/orders', false],
    ['https://api.example.com@evil.com/orders', false],
    ['https://api.example.com:8443/orders', false],
    // WHATWG URLs read a backslash as a slash: this one stays on api.example.com.
    ['https://api.example.com\\@evil.com/', true],
    ['http://api.example.com/orders', false],
    ['https://evil.com/https://api.example.com/', false],
    ['/relative/path', false],
  ])('%s → %s', (url, expected) => {
    const { auth } = setup();
    expect(requestAuth(auth).allows(url)).toBe(expected);
    expect(requestAuth(auth).allows(url)).toBe(
      auth.origins.includes(new URL(url, 'http://x.invalid').origin),
    );
  });
});

describe('more gaps found by mutation testing', () => {
  const fixedClock = {
    now: () => Date.now(),
    random: () => 0,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  };

  it('asks the provider to refresh (with the current token) once inside the expiry margin', async () => {
    const { provider, auth } = setup({ lifetimeMs: 3_600_000 });
    const t1 = await auth.getToken();
    await vi.advanceTimersByTimeAsync(t1.expiresAt - Date.now() - 10_000); // inside the 30 s margin
    await auth.getToken();
    expect(provider.calls[1]?.reason).toBe('refresh');
    expect(provider.calls[1]?.current).toBe(t1);
    await vi.advanceTimersByTimeAsync(3_600_000); // long past expiry: a fresh start
    await auth.getToken();
    expect(provider.calls[2]?.reason).toBe('initial');
    expect(provider.calls[2]?.current).toBeUndefined();
  });

  it('backs off longer after each failed background refresh', async () => {
    const failing = () =>
      new TokenEndpointError('no', { endpoint: 'x', status: 400, retryable: false });
    const { auth, events, provider } = setup(
      { lifetimeMs: 3_600_000, outcome: (n) => (n > 1 ? failing() : undefined) },
      { clock: fixedClock },
    );
    const t1 = await auth.getToken();
    await vi.advanceTimersByTimeAsync(t1.expiresAt - Date.now() - 100_000);
    await auth.getToken(); // starts the first background refresh, which fails
    await vi.advanceTimersByTimeAsync(0);
    expect(provider.calls).toHaveLength(2);
    for (const delay of [500, 1_000, 2_000]) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      await auth.getToken();
      await vi.advanceTimersByTimeAsync(0);
      const before = provider.calls.length;
      await vi.advanceTimersByTimeAsync(1);
      await auth.getToken();
      await vi.advanceTimersByTimeAsync(0);
      expect(provider.calls.length).toBe(before + 1);
    }
    const failures = events.filter((e) => e.type === 'token_request_failed' && e.background);
    expect(failures).toHaveLength(4);
  });

  it('close() rejects its own waiters while another manager of the key keeps fetching', async () => {
    const key = `two-${Math.random()}`;
    const store = memoryStore();
    const a = createTokenManager(fakeProvider({ key, delayMs: 1_000 }), { store });
    const b = createTokenManager(fakeProvider({ key, delayMs: 1_000 }), { store });
    managers.push(b);
    const fromA = a.getToken();
    const fromB = b.getToken();
    const outcome = expect(fromA).rejects.toBeInstanceOf(ClosedError);
    await a.close();
    await outcome;
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await fromB).accessToken).toBe('token-1');
  });
});
