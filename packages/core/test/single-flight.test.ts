// Single-flight where a platform ties a load to the request that started it (Cloudflare Workers):
// a caller never inherits an abandoned load. The platform is modelled on workerd's behaviour.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenEndpointError } from '../src/errors/errors.ts';
import { createTokenManager, memoryStore } from '../src/index.ts';
import { KeyEntry } from '../src/manager/key-entry.ts';
import type { ShareOptions } from '../src/manager/single-flight.ts';
import { loadBoundMs, settingsFrom } from '../src/options/settings.ts';
import type { Token } from '../src/types.ts';
import { fakeProvider } from './fake-provider.ts';

const CALLERS = 300;
const BOUND_MS = 10_000;

const token = (accessToken: string): Token => ({
  accessToken,
  tokenType: 'Bearer',
  issuedAt: Date.now(),
  expiresAt: Date.now() + 3_600_000,
});

const options = (extra: Partial<ShareOptions> = {}): ShareOptions => ({
  monotonic: () => Date.now(),
  boundMs: BOUND_MS,
  ...extra,
});

/** A load whose I/O was cancelled with its request: it never settles. */
const cancelled = (): Promise<Token> => new Promise<Token>(() => {});

/**
 * Models workerd for `promise`, created by a request: `end()` ends that request, after which every
 * await of the promise from another request rejects at once with the platform's untyped error
 * (handle_cross_request_promise_resolution), those already waiting included.
 */
function tiedToRequest(promise: Promise<unknown>): { end(): Error } {
  const error = new Error(
    'This promise was created by a request that has since ended, so it can never settle.',
  );
  let ended = false;
  const waiting: ((reason: unknown) => void)[] = [];
  const then = promise.then.bind(promise);
  // Replaces the promise's own `then`: what every await from another request goes through.
  Object.defineProperty(promise, 'then', {
    value: (
      onFulfilled?: (value: unknown) => unknown,
      onRejected?: (reason: unknown) => unknown,
    ) => {
      if (ended) return Promise.reject(error).then(undefined, onRejected);
      return new Promise((resolve, reject) => {
        waiting.push(reject);
        then(resolve, reject);
      }).then(onFulfilled, onRejected);
    },
  });
  return {
    end() {
      ended = true;
      for (const reject of waiting.splice(0)) reject(error);
      return error;
    },
  };
}

/** A load that counts its calls and resolves with `token-<n>` after `delayMs` (fake time). */
function counted(delayMs = 10) {
  let calls = 0;
  const load = async (): Promise<Token> => {
    calls += 1;
    const n = calls;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return token(`token-${n}`);
  };
  return { load, calls: () => calls };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('KeyEntry.share when the request that started a load ends', () => {
  it('redoes the load once for every waiter the platform rejects, and none sees its error', async () => {
    const entry = new KeyEntry();
    const request = tiedToRequest(entry.share(cancelled, options()));
    const redo = counted();
    const waiters = Array.from({ length: CALLERS }, () => entry.share(redo.load, options()));
    await vi.advanceTimersByTimeAsync(0);
    expect(redo.calls()).toBe(0); // a load still running is waited for
    const platformError = request.end();
    const results = Promise.allSettled(waiters);
    await vi.advanceTimersByTimeAsync(10);
    const settled = await results;
    expect(redo.calls()).toBe(1);
    expect(settled.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(
      new Set(settled.map((r) => (r as PromiseFulfilledResult<Token>).value.accessToken)),
    ).toEqual(new Set(['token-1']));
    expect(settled.some((r) => r.status === 'rejected' && r.reason === platformError)).toBe(false);
    expect(entry.inflight).toBeUndefined();
  });

  it("hands every waiter the load's own failure as is, with no second load", async () => {
    const entry = new KeyEntry();
    const failure = new TokenEndpointError('Token request to id.example.com failed with HTTP 400', {
      endpoint: 'id.example.com',
      status: 400,
      retryable: false,
    });
    let fail: (error: Error) => void = () => {};
    const started = entry.share(
      () => new Promise<Token>((_, reject) => (fail = reject)),
      options(),
    );
    const again = counted();
    const waiters = Array.from({ length: CALLERS }, () => entry.share(again.load, options()));
    fail(failure);
    const settled = await Promise.allSettled([started, ...waiters]);
    expect(settled.every((r) => r.status === 'rejected' && r.reason === failure)).toBe(true);
    expect(again.calls()).toBe(0);
  });

  it('redoes a load that outlives its bound (its timers died with its request), watched from the waiters', async () => {
    const entry = new KeyEntry();
    void entry.share(cancelled, options());
    const again = counted();
    const waiters = Array.from({ length: CALLERS }, () => entry.share(again.load, options()));
    await vi.advanceTimersByTimeAsync(BOUND_MS - 1);
    expect(again.calls()).toBe(0); // a slow live load is waited for
    await vi.advanceTimersByTimeAsync(1 + 10);
    const tokens = await Promise.all(waiters);
    expect(again.calls()).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
  });

  it('lets a caller arriving past the bound start afresh instead of joining', async () => {
    const entry = new KeyEntry();
    const stale = entry.share(cancelled, options());
    await vi.advanceTimersByTimeAsync(BOUND_MS);
    expect(entry.inflight).toBeUndefined();
    const again = counted();
    const fresh = entry.share(again.load, options());
    expect(fresh).not.toBe(stale);
    await vi.advanceTimersByTimeAsync(10);
    expect((await fresh).accessToken).toBe('token-1');
  });

  it('never clears a newer load when an abandoned one settles late', async () => {
    const entry = new KeyEntry();
    let settleLate: (token: Token) => void = () => {};
    const started = entry.share(
      () => new Promise<Token>((resolve) => (settleLate = resolve)),
      options(),
    );
    tiedToRequest(started).end();
    const again = counted(1_000);
    const waiter = entry.share(again.load, options());
    await vi.advanceTimersByTimeAsync(0);
    const newer = entry.inflight;
    expect(newer).toBeDefined();
    expect(newer).not.toBe(started);
    settleLate(token('late'));
    await vi.advanceTimersByTimeAsync(0);
    expect(entry.inflight).toBe(newer);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await waiter).accessToken).toBe('token-1');
  });

  it('hands every load to waitUntil, and ignores a waitUntil that throws', async () => {
    const entry = new KeyEntry();
    const kept: Promise<unknown>[] = [];
    const first = counted();
    const a = entry.share(first.load, options({ waitUntil: (p) => void kept.push(p) }));
    entry.share(first.load, options({ waitUntil: (p) => void kept.push(p) }));
    expect(kept).toHaveLength(1); // a joiner starts nothing to keep alive
    await vi.advanceTimersByTimeAsync(10);
    await expect(kept[0]).resolves.toEqual(await a);
    const second = counted();
    const b = entry.share(
      second.load,
      options({
        waitUntil: () => {
          throw new Error('waitUntil outside a request');
        },
      }),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect((await b).accessToken).toBe('token-1');
  });
});

describe('the load bound', () => {
  it('is longer than every bounded wait of a load with the default settings', () => {
    const settings = settingsFrom(fakeProvider(), {});
    const { lockTtlMs, maxAttempts, requestTimeoutMs } = settings;
    expect(loadBoundMs(settings)).toBeGreaterThan(2 * lockTtlMs + maxAttempts * requestTimeoutMs);
  });
});

describe('createTokenManager({ waitUntil })', () => {
  it('hands it the first load and a refresh-ahead, and nothing on the cached path', async () => {
    const kept: Promise<unknown>[] = [];
    const provider = fakeProvider({ lifetimeMs: 3_600_000, delayMs: 10 });
    const auth = createTokenManager(provider, {
      store: memoryStore(),
      refreshWindowMs: 120_000,
      waitUntil: (promise) => void kept.push(promise),
    });
    try {
      const first = auth.getToken();
      await vi.advanceTimersByTimeAsync(10);
      const t1 = await first;
      expect(t1.accessToken).toBe('token-1');
      await Promise.all(Array.from({ length: CALLERS }, () => auth.getToken()));
      expect(kept).toHaveLength(1);
      // 100 s left: inside the 120 s refresh window, outside the 30 s expiry margin.
      await vi.advanceTimersByTimeAsync(t1.expiresAt - Date.now() - 100_000);
      expect((await auth.getToken()).accessToken).toBe('token-1'); // served at once
      expect(kept).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(10);
      await kept[1];
      expect((await auth.getToken()).accessToken).toBe('token-2');
      expect(provider.calls).toHaveLength(2);
    } finally {
      await auth.close();
    }
  });

  it('is checked like every option', () => {
    expect(() =>
      createTokenManager(fakeProvider(), { waitUntil: 'soon' as unknown as () => void }),
    ).toThrow(/waitUntil/);
  });
});
