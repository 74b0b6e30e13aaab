import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createTokenManager,
  EndpointDownError,
  memoryStore,
  TokenEndpointError,
  type TokenEvent,
  type TokenManager,
  type TokenStore,
} from '../src/index.ts';
import { type OutageBackoff, type OutageGate, type RateLimit, systemClock } from '../src/kit.ts';
import { markLocal } from '../src/rate-limit/endpoint-outage.ts';
import { type FakeProviderOptions, fakeProvider } from './fake-provider.ts';

const API = 'https://api.example.com/orders';
const down = () =>
  new TokenEndpointError('unavailable', { endpoint: 'x', status: 503, retryable: true });
/** One declared limit: two providers with it share one endpoint (and its outage). */
const limit: RateLimit = { key: 'https://id.example.com', requests: 100, intervalMs: 1_000 };
const clock = { ...systemClock, random: () => 0.999_999 };
const managers: TokenManager[] = [];

function manager(store: TokenStore, options: FakeProviderOptions, events: TokenEvent[] = []) {
  const provider = fakeProvider({ rateLimit: limit, ...options });
  const auth = createTokenManager(provider, {
    store,
    clock,
    onEvent: (event) => events.push(event),
  });
  managers.push(auth);
  return { provider, auth };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
  vi.useRealTimers();
});

/** Lets `ms` of fake time pass, settling promises in between. */
const pass = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe('an endpoint that fails', () => {
  it('does make the next fetch for the same endpoint wait out the mark instead of resending', async () => {
    const store = memoryStore();
    const failing = manager(store, { outcome: () => down() });
    const failed = failing.auth.getToken().catch((error: unknown) => error);
    await pass(250 + 500); // attempts 1-3, the back-off 250 then 500 (random ≈ 1)
    expect(await failed).toBeInstanceOf(TokenEndpointError);
    expect(failing.provider.calls).toHaveLength(3);

    // A caller with no token on the same endpoint: no request before the third failure's 1 s mark.
    const other = manager(store, {});
    const token = other.auth.getToken();
    await pass(999);
    expect(other.provider.calls).toHaveLength(0);
    await pass(1);
    expect((await token).accessToken).toBe('token-1');
    expect(other.provider.calls).toHaveLength(1);
  });

  it('does keep a valid token through the outage: a refresh-ahead sends nothing while it is down', async () => {
    const fleet = markedDown();
    const events: TokenEvent[] = [];
    const rateGate = gate(fleet);
    const serving = manager({ ...memoryStore(), rateGate }, { lifetimeMs: 60_000 }, events);
    const first = await serving.auth.getToken();
    // Another process's attempts failed: the fleet's mark says down.
    fleet.downMs = 3_000;
    vi.setSystemTime(first.expiresAt - 5_000); // inside the refresh window
    const authorizations = await Promise.all(
      Array.from({ length: 200 }, () => serving.auth.authorize(API)),
    );
    expect(authorizations.every((a) => a?.token.accessToken === first.accessToken)).toBe(true);
    await pass(0);
    expect(serving.provider.calls).toHaveLength(1);
    expect(events.filter((event) => event.type === 'token_request')).toHaveLength(1);
    // No slot of the declared budget spent while the endpoint is down: the burst stays for callers
    // that have no token.
    expect(rateGate.takes).toBe(1);
    // Once the fleet's mark is gone, the next call refreshes.
    fleet.downMs = 0;
    await pass(3_000);
    await serving.auth.authorize(API);
    await pass(0);
    expect(serving.provider.calls).toHaveLength(2);
  });

  it('does serve the old token when a revoking refresh finds the endpoint down', async () => {
    const fleet = markedDown();
    const provider = fakeProvider({ rateLimit: limit, lifetimeMs: 60_000 });
    const auth = createTokenManager(
      { ...provider, refreshRevokesPrevious: true },
      { store: { ...memoryStore(), rateGate: gate(fleet) }, clock },
    );
    managers.push(auth);
    const first = await auth.getToken();
    fleet.downMs = 3_000;
    vi.setSystemTime(first.expiresAt - 5_000);
    const callers = await Promise.all(Array.from({ length: 200 }, () => auth.getToken()));
    expect(new Set(callers.map((token) => token.accessToken))).toEqual(
      new Set([first.accessToken]),
    );
    expect(provider.calls).toHaveLength(1); // the /refresh was not resent against a dead endpoint
  });

  it('does tell callers EndpointDownError when the mark outlasts maxRetryAfterMs', async () => {
    const store = memoryStore();
    const outage: OutageGate = {
      failed: async () => 30_000,
      downFor: async () => 30_000,
      recovered: async () => {},
    };
    const { auth, provider } = manager({ ...store, rateGate: gate(outage) }, {});
    await expect(auth.getToken()).rejects.toBeInstanceOf(EndpointDownError);
    expect(provider.calls).toHaveLength(0);
  });
});

describe('the fleet outage gate', () => {
  it('does pace retries by the fleet mark and end the streak on success', async () => {
    const seen: string[] = [];
    const outage: OutageGate = {
      failed: async (endpoint: string, backoff: OutageBackoff) => {
        seen.push(`failed ${endpoint} ${backoff.baseMs}-${backoff.maxMs}`);
        return 2_000;
      },
      downFor: async () => 0,
      recovered: async (endpoint: string) => {
        seen.push(`recovered ${endpoint}`);
      },
    };
    const { auth, provider } = manager(
      { ...memoryStore(), rateGate: gate(outage) },
      {
        outcome: (n) => (n === 1 ? down() : undefined),
      },
    );
    const token = auth.getToken();
    await pass(1_999);
    expect(provider.calls).toHaveLength(1);
    await pass(1);
    expect((await token).accessToken).toBe('token-2');
    expect(seen).toEqual([`failed limit:${limit.key} 250-4000`, `recovered limit:${limit.key}`]);
  });

  it('does fall back to its own mark when the gate throws, and reports a store error', async () => {
    const broken: OutageGate = {
      failed: async () => Promise.reject(new Error('redis down')),
      downFor: async () => Promise.reject(new Error('redis down')),
      recovered: async () => Promise.reject(new Error('redis down')),
    };
    const events: TokenEvent[] = [];
    const { auth, provider } = manager(
      { ...memoryStore(), rateGate: gate(broken) },
      { outcome: (n) => (n === 1 ? down() : undefined) },
      events,
    );
    const token = auth.getToken();
    await pass(250);
    expect((await token).accessToken).toBe('token-2');
    expect(provider.calls).toHaveLength(2);
    const operations = events.flatMap((event) =>
      event.type === 'store_error' ? [event.operation] : [],
    );
    expect(operations.length).toBeGreaterThan(0);
    expect(new Set(operations)).toEqual(new Set(['outage']));
  });
});

describe("markLocal (this process's back-off of an endpoint)", () => {
  const backoff = { baseMs: 250, maxMs: 4_000, random: 0.999_999 };

  it('does double with each failure in a row, up to its maximum', () => {
    const state = { streak: 0, until: 0 };
    const waits: number[] = [];
    let now = 1_000;
    for (let i = 0; i < 7; i++) {
      const ms = markLocal(state, now, backoff);
      waits.push(ms);
      now += ms;
    }
    expect(waits).toEqual([250, 500, 1_000, 2_000, 4_000, 4_000, 4_000]);
  });

  it('does keep a mark that still runs: failures at the same time count once', () => {
    const state = { streak: 0, until: 0 };
    expect(markLocal(state, 1_000, backoff)).toBe(250);
    expect(markLocal(state, 1_100, backoff)).toBe(150);
    expect(state.streak).toBe(1);
  });

  it('does start over when the endpoint was left alone twice its maximum', () => {
    const state = { streak: 0, until: 0 };
    let now = 0;
    for (let i = 0; i < 5; i++) now += markLocal(state, now, backoff);
    expect(markLocal(state, now + 8_001, backoff)).toBe(250);
  });
});

/** A fleet outage gate whose mark the test sets (another process's failures). */
function markedDown(): OutageGate & { downMs: number } {
  const fleet = {
    downMs: 0,
    failed: async () => fleet.downMs,
    downFor: async () => fleet.downMs,
    recovered: async () => {},
  };
  return fleet;
}

/** A rate gate that admits everything and counts its slots, with `outage` as its outage gate. */
function gate(outage: OutageGate) {
  const counted = {
    takes: 0,
    take: async () => {
      counted.takes += 1;
      return { admitted: true as const, waitMs: 0 };
    },
    outage,
  };
  return counted;
}
