// managerPool: one manager per tenant however many callers, tenants never share a token,
// idle and least-recently-used managers closed, no timers, a typed error for every misuse.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ClosedError,
  createTokenManager,
  InvalidOptionsError,
  type ManagerPoolOptions,
  managerPool,
  memoryStore,
  type PooledManager,
} from '../src/index.ts';
import { fakeProvider } from './fake-provider.ts';

/** A manager stand-in that records its closing. */
interface Recorded extends PooledManager {
  readonly tenant: string;
  closed: boolean;
}

function recorder(delayMs = 0) {
  const created: Recorded[] = [];
  const create = async (tenant: string): Promise<Recorded> => {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const manager: Recorded = {
      tenant,
      key: `provider|${tenant}`,
      closed: false,
      close: async () => {
        manager.closed = true;
      },
    };
    created.push(manager);
    return manager;
  };
  return { created, create };
}

function manualNow(start = 1_000_000) {
  let now = start;
  return {
    clock: { now: () => now },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('managerPool: creation', () => {
  it('does create one manager for 500 concurrent callers of one tenant', async () => {
    const { created, create } = recorder(5);
    const pool = managerPool(create);
    const got = await Promise.all(Array.from({ length: 500 }, () => pool.get('acme')));
    expect(created).toHaveLength(1);
    expect(new Set(got).size).toBe(1);
    expect(got[0]!.tenant).toBe('acme');
    expect(await pool.get('acme')).toBe(got[0]);
    await pool.close();
  });

  it('does create one manager per tenant for 600 callers over 30 tenants, each with its own token', async () => {
    // Real managers on one shared store: tenants differ by credential, so by cache key.
    const store = memoryStore();
    const providers = new Map<string, ReturnType<typeof fakeProvider>>();
    const pool = managerPool((tenant) => {
      const provider = fakeProvider({ key: `norce|tenant-${tenant}`, delayMs: 2 });
      providers.set(tenant, provider);
      // Tokens name the credential that fetched them, so a shared token would show.
      return createTokenManager(
        {
          ...provider,
          fetchToken: async (context) => {
            const token = await provider.fetchToken(context);
            return { ...token, accessToken: `${tenant}:${token.accessToken}` };
          },
        },
        { store },
      );
    });
    const tenants = Array.from({ length: 30 }, (_, i) => `t${i}`);
    const callers = Array.from({ length: 600 }, (_, i) => tenants[i % 30]!);
    const tokens = await Promise.all(
      callers.map(async (tenant) => ({
        tenant,
        token: (await (await pool.get(tenant)).getToken()).accessToken,
      })),
    );
    expect(providers.size).toBe(30);
    expect(pool.size).toBe(30);
    for (const provider of providers.values()) expect(provider.calls).toHaveLength(1);
    // Every caller of a tenant saw that tenant's one token; no token is seen by two tenants.
    const byTenant = new Map<string, Set<string>>();
    for (const { tenant, token } of tokens) {
      byTenant.set(tenant, (byTenant.get(tenant) ?? new Set()).add(token));
    }
    for (const [tenant, seen] of byTenant) expect([...seen]).toEqual([`${tenant}:token-1`]);
    const allTokens = [...byTenant.values()].flatMap((seen) => [...seen]);
    expect(new Set(allTokens).size).toBe(30);
    const managers = await Promise.all(tenants.map((tenant) => pool.get(tenant)));
    expect(new Set(managers.map((manager) => manager.key)).size).toBe(30);
    await pool.close();
  });

  it('does accept a synchronous create, and a create that throws, without keeping the failure', async () => {
    let fail = true;
    const pool = managerPool((tenant) => {
      if (fail) throw new Error(`vault down for ${tenant}`);
      return { key: tenant, close: async () => {} };
    });
    const callers = await Promise.allSettled(Array.from({ length: 100 }, () => pool.get('a')));
    expect(callers.every((result) => result.status === 'rejected')).toBe(true);
    expect(pool.size).toBe(0);
    fail = false;
    await expect(pool.get('a')).resolves.toMatchObject({ key: 'a' });
    expect(pool.size).toBe(1);
    await pool.close();
  });
});

describe('managerPool: tenants never share a token', () => {
  it('does refuse a manager whose cache key another tenant has, and close it', async () => {
    const closedKeys: string[] = [];
    const make = (key: string): PooledManager => ({
      key,
      close: async () => {
        closedKeys.push(key);
      },
    });
    // A configuration mistake: tenant b was given tenant a's credentials.
    const pool = managerPool((tenant) =>
      make(tenant === 'b' ? 'norce|client-a' : `norce|client-${tenant}`),
    );
    const a = await pool.get('a');
    const error = await pool.get('b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({ code: 'invalid_options', option: 'create' });
    expect(closedKeys).toEqual(['norce|client-a']); // the refused one, not a's own
    expect(pool.size).toBe(1);
    expect(await pool.get('a')).toBe(a);
    // Once a is gone, its key may be taken by whoever legitimately owns it now.
    await pool.delete('a');
    await expect(pool.get('b')).resolves.toMatchObject({ key: 'norce|client-a' });
    await pool.close();
  });

  it('does refuse the very same manager handed out for two tenants', async () => {
    const shared: PooledManager = { key: 'norce|one', close: async () => {} };
    const pool = managerPool(() => shared);
    await pool.get('a');
    await expect(pool.get('b')).rejects.toBeInstanceOf(InvalidOptionsError);
    await pool.close();
  });
});

describe('managerPool: closing', () => {
  it('does close a manager idle for idleMs at the next get, and only that one', async () => {
    const { created, create } = recorder();
    const time = manualNow();
    const pool = managerPool(create, { idleMs: 60_000, clock: time.clock });
    await pool.get('a');
    time.advance(30_000);
    await pool.get('b');
    time.advance(30_000); // a idle 60 s, b 30 s
    expect(created[0]!.closed).toBe(false); // lazily: nothing happens without a get
    await pool.get('c');
    expect(created.map((m) => [m.tenant, m.closed])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
    ]);
    expect(pool.size).toBe(2);
    // Asked for again: a new manager (the old one is closed for good).
    const again = await pool.get('a');
    expect(again).not.toBe(created[0]);
    expect(again.closed).toBe(false);
    await pool.close();
  });

  it('does keep a tenant that is used, however old it is', async () => {
    const { created, create } = recorder();
    const time = manualNow();
    const pool = managerPool(create, { idleMs: 60_000, clock: time.clock });
    for (let i = 0; i < 10; i++) {
      await pool.get('busy');
      time.advance(59_000);
    }
    await pool.get('other');
    expect(created).toHaveLength(2);
    expect(created[0]!.closed).toBe(false);
    await pool.close();
  });

  it('does close the least recently used manager beyond max', async () => {
    const { created, create } = recorder();
    const pool = managerPool(create, { max: 3, idleMs: Infinity });
    for (const tenant of ['a', 'b', 'c', 'a', 'd', 'e']) await pool.get(tenant);
    // d pushed out b (a was used again after b), e pushed out c.
    expect(created.filter((m) => m.closed).map((m) => m.tenant)).toEqual(['b', 'c']);
    expect(pool.size).toBe(3);
    await pool.close();
  });

  it('does stay within max under hundreds of tenants arriving at once', async () => {
    const { created, create } = recorder(1);
    const pool = managerPool(create, { max: 50 });
    const tenants = Array.from({ length: 400 }, (_, i) => `t${i}`);
    const managers = await Promise.all(tenants.map((tenant) => pool.get(tenant)));
    expect(new Set(managers).size).toBe(400);
    // While all 400 were being created none could be closed; the next get trims back to max.
    expect(pool.size).toBe(400);
    await pool.get('late');
    expect(pool.size).toBe(50);
    expect(created.filter((m) => m.closed)).toHaveLength(351);
    // The survivors are the most recently asked for.
    expect(await pool.get('t399')).toBe(managers[399]);
    for (let i = 0; i < 10; i++) await pool.get(`after-${i}`);
    expect(pool.size).toBe(50);
    expect(created.filter((m) => !m.closed)).toHaveLength(pool.size);
    await pool.close();
  });

  it('does close every manager on close(), and refuse get() afterwards', async () => {
    const { created, create } = recorder(3);
    const pool = managerPool(create);
    await Promise.all(['a', 'b', 'c'].map((tenant) => pool.get(tenant)));
    const inFlight = pool.get('d'); // still being created when the pool closes
    await pool.close();
    await expect(inFlight).rejects.toBeInstanceOf(ClosedError);
    expect(created).toHaveLength(4);
    expect(created.every((m) => m.closed)).toBe(true);
    expect(pool.size).toBe(0);
    await expect(pool.get('a')).rejects.toBeInstanceOf(ClosedError);
    await pool.close(); // twice is fine
  });

  it('does close one tenant on delete()', async () => {
    const { created, create } = recorder();
    const pool = managerPool(create);
    await pool.get('a');
    await pool.get('b');
    await pool.delete('a');
    await pool.delete('nobody');
    expect(created.map((m) => m.closed)).toEqual([true, false]);
    expect(pool.size).toBe(1);
    await pool.close();
  });

  it('does leave no timer behind: none of its own, and none of its managers after close()', async () => {
    vi.useFakeTimers();
    const time = manualNow();
    const store = memoryStore();
    const pool = managerPool(
      (tenant) => createTokenManager(fakeProvider({ key: `p|${tenant}` }), { store }),
      { idleMs: 1_000, max: 5, clock: time.clock },
    );
    expect(vi.getTimerCount()).toBe(0);
    for (let i = 0; i < 20; i++) {
      const manager = await pool.get(`t${i % 8}`);
      await manager.getToken();
      time.advance(400);
    }
    expect(vi.getTimerCount()).toBe(0); // lazy sweeping: the pool never sets a timer
    await pool.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('managerPool: options', () => {
  const create = () => ({ key: 'k', close: async () => {} });

  it.each<[string, ManagerPoolOptions, string]>([
    ['max 0', { max: 0 }, 'max'],
    ['max 1.5', { max: 1.5 }, 'max'],
    ['max "10"', { max: '10' as never }, 'max'],
    ['idleMs 0', { idleMs: 0 }, 'idleMs'],
    ['idleMs NaN', { idleMs: Number.NaN }, 'idleMs'],
    ['a clock without now', { clock: {} as never }, 'clock'],
    ['an unknown option', { maxSize: 5 } as never, 'maxSize'],
  ])('does refuse %s, naming it', (_name, options, option) => {
    expect(() => managerPool(create, options)).toThrow(InvalidOptionsError);
    try {
      managerPool(create, options);
    } catch (error) {
      expect((error as InvalidOptionsError).option).toBe(option);
    }
  });

  it('does refuse a missing create function and an empty tenant id', async () => {
    expect(() => managerPool(undefined as never)).toThrow(InvalidOptionsError);
    const pool = managerPool(create);
    await expect(pool.get('')).rejects.toMatchObject({ option: 'tenant' });
    await expect(pool.get(42 as never)).rejects.toMatchObject({ option: 'tenant' });
    await pool.close();
  });
});
