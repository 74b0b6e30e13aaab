import { describe, expect, it, vi } from 'vitest';
import { createTokenManager, memoryStore } from '../src/index.ts';
import { systemClock } from '../src/kit.ts';
import { cached } from './cached.ts';
import { fakeProvider } from './fake-provider.ts';
import { managersOnFakeTime } from './fake-time.ts';

const API = 'https://api.example.com/orders';
const managers = managersOnFakeTime();

/**
 * Calls every `everyMs` for `lifetimes` token lifetimes against a provider answering in
 * `latencyMs`; returns the steady-state token requests per lifetime (lifetime ÷ the mean time
 * between two token requests), how many calls found no cached token (they waited), and how many
 * were handed a token past its expiry.
 */
async function steadyLoad(lifetimeMs: number, everyMs: number, lifetimes: number, latencyMs = 100) {
  const provider = fakeProvider({ lifetimeMs, delayMs: latencyMs });
  const fetchedAt: number[] = [];
  const fetchToken = provider.fetchToken.bind(provider);
  Object.assign(provider, {
    fetchToken: (context: Parameters<typeof fetchToken>[0]) => {
      fetchedAt.push(Date.now());
      return fetchToken(context);
    },
  });
  const auth = createTokenManager(provider, { store: memoryStore() });
  managers.push(auth);
  await Promise.all([auth.getToken(), vi.advanceTimersByTimeAsync(latencyMs)]);
  let waited = 0;
  let expired = 0;
  const end = Date.now() + lifetimes * lifetimeMs;
  while (Date.now() < end) {
    await vi.advanceTimersByTimeAsync(everyMs);
    const ready = await cached(auth, API);
    if (!ready) {
      waited += 1;
      await Promise.all([auth.getToken(), vi.advanceTimersByTimeAsync(latencyMs)]);
    } else if (Date.now() >= ready.token.expiresAt) {
      expired += 1;
    }
  }
  const spacing = ((fetchedAt.at(-1) ?? 0) - (fetchedAt[0] ?? 0)) / (fetchedAt.length - 1);
  return { perLifetime: lifetimeMs / spacing, waited, expired };
}

describe('adaptive refresh-ahead (the default)', () => {
  it.each([60_000, 120_000, 600_000])(
    'costs at most 1.05 token requests per %i ms lifetime under steady load, with no caller waiting',
    async (lifetimeMs) => {
      const { perLifetime, waited, expired } = await steadyLoad(lifetimeMs, 200, 10);
      expect(perLifetime).toBeLessThanOrEqual(1.05);
      expect(perLifetime).toBeGreaterThanOrEqual(1);
      expect(waited).toBe(0);
      expect(expired).toBe(0);
    },
  );

  it('widens the window when calls are sparse, so the token does not run out between them', async () => {
    // A call every 20 s on a 5-minute token: the window must exceed 20 s.
    const { waited, expired, perLifetime } = await steadyLoad(300_000, 20_000, 6);
    expect(waited).toBe(0);
    expect(expired).toBe(0);
    expect(perLifetime).toBeLessThanOrEqual(1.25);
  });

  it('leads by a few token round trips when the endpoint is slow', async () => {
    const { waited, expired } = await steadyLoad(60_000, 200, 5, 2_000);
    expect(waited).toBe(0);
    expect(expired).toBe(0);
  });

  it('uses a window set by hand as given (a fifth of the lifetime at most)', async () => {
    const provider = fakeProvider({ lifetimeMs: 600_000, delayMs: 10 });
    // No jitter: the window then starts exactly 120 s before expiry (jitter would move it up to 12 s).
    const clock = { ...systemClock, random: () => 0 };
    const auth = createTokenManager(provider, {
      store: memoryStore(),
      refreshWindowMs: 120_000,
      clock,
    });
    managers.push(auth);
    await Promise.all([auth.getToken(), vi.advanceTimersByTimeAsync(10)]);
    await vi.advanceTimersByTimeAsync(600_000 - 120_000 - 10 - 1_000); // 1 s before the window
    await auth.getToken();
    await vi.advanceTimersByTimeAsync(20); // time for a background refresh to reach the provider
    expect(provider.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000); // inside it
    await auth.getToken();
    await vi.advanceTimersByTimeAsync(20);
    expect(provider.calls).toHaveLength(2);
  });
});
