// A provider's declared values (rateLimit above all) are checked like every option: NaN, 0,
// negatives, Infinity and wrong types get an InvalidOptionsError naming the field, never "no
// limit" or "wait the 10-minute cap"; what the manager enforces is the limit it checked.
import { describe, expect, it } from 'vitest';
import {
  createTokenManager,
  InvalidOptionsError,
  memoryStore,
  type TokenEvent,
  type TokenProvider,
  type TokenStore,
} from '../src/index.ts';
import type { RateLimit } from '../src/kit.ts';
import { fakeProvider } from './fake-provider.ts';

const GOOD: RateLimit = {
  requests: 3,
  intervalMs: 60_000,
  burst: 2,
  key: 'https://id.example.com',
};

function refusal(provider: TokenProvider): InvalidOptionsError | undefined {
  try {
    createTokenManager(provider, { store: memoryStore() });
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  return undefined;
}

describe('a declared rateLimit is checked like an option', () => {
  it.each<[string, unknown, string]>([
    ['requests NaN', { ...GOOD, requests: Number.NaN }, 'provider.rateLimit.requests'],
    ['requests -1', { ...GOOD, requests: -1 }, 'provider.rateLimit.requests'],
    ['requests 0', { ...GOOD, requests: 0 }, 'provider.rateLimit.requests'],
    ['requests Infinity', { ...GOOD, requests: Infinity }, 'provider.rateLimit.requests'],
    ['requests "3"', { ...GOOD, requests: '3' }, 'provider.rateLimit.requests'],
    [
      'requests 1e-12 (a gap no timer holds)',
      { ...GOOD, requests: 1e-12 },
      'provider.rateLimit.requests',
    ],
    ['requests missing', { intervalMs: 1_000, key: 'k' }, 'provider.rateLimit.requests'],
    ['intervalMs 0', { ...GOOD, intervalMs: 0 }, 'provider.rateLimit.intervalMs'],
    ['intervalMs -60000', { ...GOOD, intervalMs: -60_000 }, 'provider.rateLimit.intervalMs'],
    ['intervalMs NaN', { ...GOOD, intervalMs: Number.NaN }, 'provider.rateLimit.intervalMs'],
    ['intervalMs Infinity', { ...GOOD, intervalMs: Infinity }, 'provider.rateLimit.intervalMs'],
    ['intervalMs 2^31', { ...GOOD, intervalMs: 2 ** 31 }, 'provider.rateLimit.intervalMs'],
    ['intervalMs null', { ...GOOD, intervalMs: null }, 'provider.rateLimit.intervalMs'],
    ['burst NaN', { ...GOOD, burst: Number.NaN }, 'provider.rateLimit.burst'],
    ['burst 0', { ...GOOD, burst: 0 }, 'provider.rateLimit.burst'],
    ['burst -5', { ...GOOD, burst: -5 }, 'provider.rateLimit.burst'],
    ['burst Infinity', { ...GOOD, burst: Infinity }, 'provider.rateLimit.burst'],
    ['burst [2]', { ...GOOD, burst: [2] }, 'provider.rateLimit.burst'],
    ['key missing', { requests: 3, intervalMs: 1_000 }, 'provider.rateLimit.key'],
    ["key ''", { ...GOOD, key: '' }, 'provider.rateLimit.key'],
    ['key 42', { ...GOOD, key: 42 }, 'provider.rateLimit.key'],
    ['a number', 5, 'provider.rateLimit'],
    ['null', null, 'provider.rateLimit'],
    ['an array', [GOOD], 'provider.rateLimit'],
    ['a string', 'fast', 'provider.rateLimit'],
  ])('does refuse %s, naming the field', (_, rateLimit, field) => {
    const provider = { ...fakeProvider(), rateLimit } as unknown as TokenProvider;
    const error = refusal(provider);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error?.option).toBe(field);
    expect(error?.message.startsWith(field)).toBe(true);
  });

  it('does accept a sound limit with or without burst', () => {
    expect(refusal(fakeProvider({ rateLimit: GOOD }))).toBeUndefined();
    expect(
      refusal(fakeProvider({ rateLimit: { requests: 0.5, intervalMs: 1_000, key: 'k' } })),
    ).toBeUndefined();
  });

  it('does enforce the limit it checked, whatever a getter returns later', async () => {
    let reads = 0;
    const provider = fakeProvider();
    Object.defineProperty(provider, 'rateLimit', {
      get: () =>
        ++reads <= 2
          ? { requests: 1, intervalMs: 60_000, burst: 1, key: 'flip' }
          : { requests: -1, intervalMs: 0, key: 'flip' },
    });
    const events: TokenEvent[] = [];
    const auth = createTokenManager(provider, {
      store: memoryStore(),
      maxRetryAfterMs: 0,
      requestTimeoutMs: 1_000,
      onEvent: (event) => events.push(event),
    });
    await auth.getToken();
    await auth.invalidate(await auth.getToken());
    // The second fetch within the minute is held by the checked limit (1 per minute, burst 1).
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'rate_limited' });
    expect(provider.calls).toHaveLength(1);
    await auth.close();
  });
});

describe('other declared values are checked too', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['secrets a string', { secrets: 'hunter22' }, 'provider.secrets'],
    ['secrets holding a number', { secrets: ['ok-secret', 5] }, 'provider.secrets'],
    ['tokenTypes holding an empty string', { tokenTypes: [''] }, 'provider.tokenTypes'],
    ['tokenTypes a string', { tokenTypes: 'bearer' }, 'provider.tokenTypes'],
    ['label a number', { label: 5 }, 'provider.label'],
    [
      'refreshRevokesPrevious "yes"',
      { refreshRevokesPrevious: 'yes' },
      'provider.refreshRevokesPrevious',
    ],
    ['headers an object', { headers: {} }, 'provider.headers'],
    ['revoke true', { revoke: true }, 'provider.revoke'],
    ['hostNotFoundHint a number', { hostNotFoundHint: 42 }, 'provider.hostNotFoundHint'],
    ['tokenHeader with a space', { tokenHeader: 'X Token' }, 'provider.tokenHeader'],
  ])('does refuse %s, naming the field', (_, change, field) => {
    const error = refusal({ ...fakeProvider(), ...change } as unknown as TokenProvider);
    expect(error?.option).toBe(field);
  });

  it('does not quote a secret it refuses', () => {
    const error = refusal({
      ...fakeProvider(),
      secrets: ['hunter2-is-my-password', { secret: 'hunter2-is-my-password' }],
    } as unknown as TokenProvider);
    expect(error?.message).not.toContain('hunter2');
  });
});

describe('a fleet gate that answers garbage or a wait too long', () => {
  it.each<[string, unknown]>([
    ['a wait of a year', { admitted: true, waitMs: 365 * 86_400_000 }],
    ["a wait past the caller's bound", { admitted: true, waitMs: 60_000 }],
  ])('does refuse at once on %s, never sleeping past requestTimeoutMs', async (_, answer) => {
    const store: TokenStore = { ...memoryStore(), rateGate: { take: async () => answer as never } };
    const provider = fakeProvider({ rateLimit: GOOD });
    const auth = createTokenManager(provider, {
      store,
      requestTimeoutMs: 1_000,
      maxRetryAfterMs: 0,
    });
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'rate_limited' });
    expect(provider.calls).toHaveLength(0);
    await auth.close();
  });

  it.each<[string, unknown]>([
    ['a NaN wait', { admitted: true, waitMs: Number.NaN }],
    ['an Infinity wait', { admitted: true, waitMs: Infinity }],
    ['a string wait', { admitted: true, waitMs: '0' }],
    ['admitted "yes"', { admitted: 'yes', waitMs: 0 }],
    ['null', null],
    ['a number', 0],
    ['a refusal with NaN', { admitted: false, retryAfterMs: Number.NaN }],
  ])(
    "does count %s as the gate failing: store_error and this process's share",
    async (_, answer) => {
      const events: TokenEvent[] = [];
      const store: TokenStore = {
        ...memoryStore(),
        rateGate: { take: async () => answer as never },
      };
      const provider = fakeProvider({ rateLimit: GOOD });
      const auth = createTokenManager(provider, {
        store,
        requestTimeoutMs: 1_000,
        onEvent: (event) => events.push(event),
      });
      expect((await auth.getToken()).accessToken).toBe('token-1');
      expect(events.filter((e) => e.type === 'store_error')).toHaveLength(1);
      await auth.close();
    },
  );

  it('does admit at once on a negative wait', async () => {
    const store: TokenStore = {
      ...memoryStore(),
      rateGate: { take: async () => ({ admitted: true, waitMs: -5_000 }) },
    };
    const provider = fakeProvider({ rateLimit: GOOD });
    const auth = createTokenManager(provider, { store, requestTimeoutMs: 1_000 });
    expect((await auth.getToken()).accessToken).toBe('token-1');
    await auth.close();
  });
});

describe('a fleet gate that fails', () => {
  it('does hold this process to its share of the limit (degradedShare), never to unlimited', async () => {
    const limit: RateLimit = {
      requests: 4,
      intervalMs: 60_000,
      burst: 8,
      key: 'https://id.example.com',
    };
    const down = async (): Promise<never> => {
      throw new Error('gate down');
    };
    const store: TokenStore = { ...memoryStore(), rateGate: { take: down, degradedShare: 0.25 } };
    const provider = fakeProvider({ rateLimit: limit });
    const auth = createTokenManager(provider, {
      store,
      requestTimeoutMs: 1_000,
      maxRetryAfterMs: 0,
    });
    // A quarter of the burst of 8: two token requests now, the third is a minute away.
    await auth.getToken({ forceRefresh: true });
    await auth.getToken({ forceRefresh: true });
    await expect(auth.getToken({ forceRefresh: true })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(provider.calls).toHaveLength(2);
    await auth.close();
  });
});

describe('a fleet gate that refuses the limit', () => {
  it('does hand over its InvalidOptionsError, not a store_error and a local bucket', async () => {
    const events: TokenEvent[] = [];
    const store: TokenStore = {
      ...memoryStore(),
      rateGate: {
        take: async () => {
          throw new InvalidOptionsError('rateLimit', 'rateLimit needs positive requests');
        },
      },
    };
    const provider = fakeProvider({ rateLimit: GOOD });
    const auth = createTokenManager(provider, {
      store,
      maxAttempts: 1,
      onEvent: (event) => events.push(event),
    });
    await expect(auth.getToken()).rejects.toBeInstanceOf(InvalidOptionsError);
    expect(events.filter((e) => e.type === 'store_error')).toHaveLength(0);
    expect(provider.calls).toHaveLength(0);
    await auth.close();
  });
});
