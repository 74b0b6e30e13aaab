// managerPool against a create() (and managers) on their worst day: garbage, rejections, throws,
// hangs, late answers after a timeout or close(); every pool option checked; the onEvict hook.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ClosedError,
  InvalidOptionsError,
  type ManagerPool,
  managerPool,
  type PooledManager,
  TimeoutError,
} from '../src/index.ts';
import { POOL_CLOSE_TIMEOUT_MS, POOL_CREATE_TIMEOUT_MS } from '../src/manager/manager-pool.ts';

interface Recorded extends PooledManager {
  readonly tenant: string;
  closed: boolean;
}

function managerOf(tenant: string): Recorded {
  const manager: Recorded = {
    tenant,
    key: `provider|${tenant}`,
    closed: false,
    close: async () => {
      manager.closed = true;
    },
  };
  return manager;
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

/** A promise and its resolver, for a create() the test answers by hand. */
function later<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

afterEach(() => {
  vi.useRealTimers();
});

const GARBAGE: readonly [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['a string', 'manager'],
  ['an empty object', {}],
  ['an empty key', { key: '', close: async () => {} }],
  ['a numeric key', { key: 5, close: async () => {} }],
  ['no close()', { key: 'k' }],
  ['close that is not a function', { key: 'k', close: 'yes' }],
  ['a key getter but no close()', Object.defineProperty({}, 'key', { get: () => 'k' })],
  [
    'a throwing key getter',
    Object.defineProperty({ close: async () => {} }, 'key', {
      get: () => {
        throw new Error('boom');
      },
    }),
  ],
  [
    'a throwing close getter',
    Object.defineProperty({ key: 'k' }, 'close', {
      get: () => {
        throw new Error('boom');
      },
    }),
  ],
];

describe('managerPool: a create() that resolves to something that is not a manager', () => {
  it.each(GARBAGE)(
    'does refuse %s with a typed error and call create() again next time',
    async (_, garbage) => {
      let calls = 0;
      const pool = managerPool(async (tenant) => {
        calls++;
        return calls === 1 ? (garbage as Recorded) : managerOf(tenant);
      });
      const error = await pool.get('acme').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect((error as InvalidOptionsError).option).toBe('create');
      expect(pool.size).toBe(0);
      // Not cached: the next get calls create() again and gets a manager.
      const manager = await pool.get('acme');
      expect(calls).toBe(2);
      expect(manager.tenant).toBe('acme');
      await pool.close();
    },
  );

  it('does keep sweeping idle managers after a garbage creation', async () => {
    const { clock, advance } = manualNow();
    const made: Recorded[] = [];
    const pool = managerPool(
      async (tenant) => {
        if (tenant === 'bad') return { nope: true } as unknown as Recorded;
        const manager = managerOf(tenant);
        made.push(manager);
        return manager;
      },
      { idleMs: 1_000, clock },
    );
    await pool.get('old');
    await expect(pool.get('bad')).rejects.toBeInstanceOf(InvalidOptionsError);
    advance(1_001);
    await pool.get('new');
    expect(made[0]!.closed).toBe(true);
    expect(pool.size).toBe(1);
    await pool.close();
  });

  it('does give 300 concurrent callers one typed error from one create() call', async () => {
    let calls = 0;
    const pool = managerPool(async () => {
      calls++;
      await Promise.resolve();
      return undefined as unknown as Recorded;
    });
    const results = await Promise.allSettled(Array.from({ length: 300 }, () => pool.get('t')));
    expect(calls).toBe(1);
    expect(
      results.every((r) => r.status === 'rejected' && r.reason instanceof InvalidOptionsError),
    ).toBe(true);
    await pool.close();
  });
});

describe('managerPool: a Proxy that throws on every read', () => {
  it('does hand over the error its then-trap throws (as create() failing) and cache nothing', async () => {
    const trap = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
      },
    );
    let calls = 0;
    const pool = managerPool(async (tenant) =>
      ++calls === 1 ? (trap as Recorded) : managerOf(tenant),
    );
    await expect(pool.get('p')).rejects.toThrow('trap');
    expect((await pool.get('p')).tenant).toBe('p');
    expect(calls).toBe(2);
    await pool.close();
  });
});

describe('managerPool: managers whose key changes after they were accepted', () => {
  it('does keep tenants apart by the key it read once', async () => {
    let reads = 0;
    const flipping = {
      get key() {
        reads += 1;
        return reads === 1 ? 'provider|a' : 'provider|b';
      },
      close: async () => {},
    };
    const pool = managerPool((tenant) =>
      tenant === 'a'
        ? (flipping as PooledManager)
        : { ...managerOf(tenant), key: `provider|${tenant === 'a2' ? 'a' : tenant}` },
    );
    await pool.get('a'); // keyed provider|a, whatever the getter says later
    expect((await pool.get('b')).key).toBe('provider|b');
    await expect(pool.get('a2')).rejects.toBeInstanceOf(InvalidOptionsError); // provider|a is a's
    await pool.delete('a'); // frees provider|a, not b's key
    expect((await pool.get('a2')).key).toBe('provider|a');
    expect((await pool.get('b')).key).toBe('provider|b');
    await pool.close();
  });
});

describe('managerPool: a create() that asks the pool for its own tenant', () => {
  it('does end the self-wait with TimeoutError instead of hanging for ever', async () => {
    vi.useFakeTimers();
    const pool: ManagerPool<Recorded> = managerPool<Recorded>(
      async (tenant): Promise<Recorded> => pool.get(tenant),
      {
        createTimeoutMs: 1_000,
      },
    );
    const got = pool.get('loop').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await got).toBeInstanceOf(TimeoutError);
    expect(pool.size).toBe(0);
    await pool.close();
  });
});

describe('managerPool: a create() that rejects or throws', () => {
  it.each([
    ['rejects', async () => Promise.reject(new Error('vault down'))],
    [
      'throws synchronously',
      () => {
        throw new Error('vault down');
      },
    ],
    ['rejects with a non-Error', async () => Promise.reject('vault down')],
  ] as const)(
    'does hand the failure over when create() %s, cache nothing and keep sweeping',
    async (_, failing) => {
      const { clock, advance } = manualNow();
      let fail = true;
      let calls = 0;
      const made: Recorded[] = [];
      const pool = managerPool(
        (tenant) => {
          calls++;
          if (tenant === 'flaky' && fail) return (failing as () => Promise<Recorded>)();
          const manager = managerOf(tenant);
          made.push(manager);
          return manager;
        },
        { idleMs: 1_000, clock },
      );
      await pool.get('old');
      const error = await pool.get('flaky').catch((e: unknown) => e);
      expect(String((error as Error)?.message ?? error)).toContain('vault down');
      expect(pool.size).toBe(1);
      fail = false;
      advance(1_001);
      expect((await pool.get('flaky')).tenant).toBe('flaky');
      expect(calls).toBe(3);
      expect(made[0]!.closed).toBe(true); // 'old' swept
      await pool.close();
    },
  );
});

describe('managerPool: a create() that never settles', () => {
  it('does fail its callers with TimeoutError after createTimeoutMs and call create() again', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const pool = managerPool(
      (tenant) => {
        calls++;
        return calls === 1 ? new Promise<Recorded>(() => {}) : managerOf(tenant);
      },
      { createTimeoutMs: 2_000 },
    );
    const waiting = Array.from({ length: 200 }, () => pool.get('stuck').catch((e: unknown) => e));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(pool.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const errors = await Promise.all(waiting);
    expect(errors.every((e) => e instanceof TimeoutError)).toBe(true);
    expect(pool.size).toBe(0);
    expect((await pool.get('stuck')).tenant).toBe('stuck');
    expect(calls).toBe(2);
    await pool.close();
  });

  it('does bound create() by a documented default of 30 s', async () => {
    vi.useFakeTimers();
    const pool = managerPool(() => new Promise<Recorded>(() => {}));
    const got = pool.get('stuck').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(POOL_CREATE_TIMEOUT_MS);
    expect(await got).toBeInstanceOf(TimeoutError);
    expect(POOL_CREATE_TIMEOUT_MS).toBe(30_000);
    await pool.close();
  });

  it('does keep sweeping idle managers while one creation hangs', async () => {
    vi.useFakeTimers();
    const { clock, advance } = manualNow();
    const made: Recorded[] = [];
    const pool = managerPool(
      (tenant) => {
        if (tenant === 'stuck') return new Promise<Recorded>(() => {});
        const manager = managerOf(tenant);
        made.push(manager);
        return manager;
      },
      { idleMs: 1_000, clock },
    );
    await pool.get('old');
    const stuck = pool.get('stuck').catch((e: unknown) => e);
    advance(1_001);
    await pool.get('new');
    expect(made[0]!.closed).toBe(true);
    const closing = pool.close();
    expect(await stuck).toBeInstanceOf(ClosedError);
    await vi.advanceTimersByTimeAsync(POOL_CLOSE_TIMEOUT_MS);
    await closing;
  });

  it('does let close() settle and tell the waiting callers at once', async () => {
    vi.useFakeTimers();
    const pool = managerPool(() => new Promise<Recorded>(() => {}));
    const waiting = Array.from({ length: 100 }, () => pool.get('stuck').catch((e: unknown) => e));
    let closed = false;
    const closing = pool.close().then(() => {
      closed = true;
    });
    const errors = await Promise.all(waiting);
    expect(errors.every((e) => e instanceof ClosedError)).toBe(true);
    await vi.advanceTimersByTimeAsync(POOL_CLOSE_TIMEOUT_MS);
    await closing;
    expect(closed).toBe(true);
  });

  it('does close a manager that arrives after its deadline, unused', async () => {
    vi.useFakeTimers();
    const gate = later<Recorded>();
    let calls = 0;
    const pool = managerPool((tenant) => (++calls === 1 ? gate.promise : managerOf(tenant)), {
      createTimeoutMs: 1_000,
    });
    const first = pool.get('slow').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await first).toBeInstanceOf(TimeoutError);
    const fresh = await pool.get('slow');
    const late = managerOf('slow');
    gate.resolve(late);
    await vi.advanceTimersByTimeAsync(0);
    expect(late.closed).toBe(true);
    expect(fresh.closed).toBe(false);
    expect(await pool.get('slow')).toBe(fresh);
    await pool.close();
  });
});

describe('managerPool: a create() that resolves after close()', () => {
  it('does close the late manager and reject its callers with ClosedError', async () => {
    const gate = later<Recorded>();
    const pool = managerPool(() => gate.promise);
    const waiting = pool.get('late').catch((e: unknown) => e);
    const closing = pool.close();
    const late = managerOf('late');
    gate.resolve(late);
    await closing;
    expect(await waiting).toBeInstanceOf(ClosedError);
    expect(late.closed).toBe(true);
    await expect(pool.get('late')).rejects.toBeInstanceOf(ClosedError);
  });

  it('does settle close() when a manager close() never settles', async () => {
    vi.useFakeTimers();
    const pool = managerPool((tenant) => ({
      ...managerOf(tenant),
      close: () => new Promise<void>(() => {}),
    }));
    await pool.get('a');
    await pool.get('b');
    let closed = false;
    const closing = pool.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(POOL_CLOSE_TIMEOUT_MS);
    await closing;
    expect(closed).toBe(true);
  });

  it('does settle close() when a manager close() throws synchronously', async () => {
    const pool = managerPool((tenant) => ({
      ...managerOf(tenant),
      close: () => {
        throw new Error('boom');
      },
    }));
    await pool.get('a');
    await expect(pool.close()).resolves.toBeUndefined();
  });
});

describe('managerPool: every option checked', () => {
  it.each([
    ['idleMs', '1000'],
    ['idleMs', true],
    ['idleMs', [5]],
    ['idleMs', Number.NaN],
    ['idleMs', 0],
    ['idleMs', -1],
    ['idleMs', null],
    ['max', '5'],
    ['max', 0],
    ['max', 1.5],
    ['max', Number.NaN],
    ['max', -Infinity],
    ['createTimeoutMs', 0],
    ['createTimeoutMs', Infinity],
    ['createTimeoutMs', '1000'],
    ['createTimeoutMs', 2 ** 31],
    ['onEvict', 'close'],
    ['onEvict', {}],
    ['clock', {}],
    ['clock', Date.now],
    ['clock', null],
  ] as const)('does refuse %s: %o naming the option', (option, value) => {
    const error = (() => {
      try {
        managerPool(managerOf, { [option]: value } as never);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe(option);
  });

  it('does refuse an unknown option, a non-object and an array', () => {
    expect(() => managerPool(managerOf, { idleMS: 5 } as never)).toThrow(/did you mean idleMs/);
    expect(() => managerPool(managerOf, 5 as never)).toThrow(InvalidOptionsError);
    expect(() => managerPool(managerOf, [] as never)).toThrow(InvalidOptionsError);
  });

  it('does accept Infinity for idleMs and max', async () => {
    const pool = managerPool(managerOf, { idleMs: Infinity, max: Infinity });
    expect((await pool.get('a')).tenant).toBe('a');
    await pool.close();
  });
});

describe('managerPool: onEvict', () => {
  it('does run before close() for idle, max, delete and close() evictions', async () => {
    const { clock, advance } = manualNow();
    const log: string[] = [];
    const pool = managerPool(
      (tenant) => {
        const manager = managerOf(tenant);
        return {
          ...manager,
          close: async () => {
            log.push(`close ${tenant}`);
          },
        };
      },
      {
        max: 2,
        idleMs: 1_000,
        clock,
        onEvict: (manager, tenant) => {
          expect(manager.key).toBe(`provider|${tenant}`);
          log.push(`evict ${tenant}`);
        },
      },
    );
    await pool.get('idle');
    advance(1_001);
    await pool.get('a'); // sweeps 'idle'
    await pool.get('b');
    await pool.get('c'); // max: evicts 'a'
    await pool.delete('b');
    await pool.close(); // 'c'
    await Promise.resolve();
    expect(log).toEqual([
      'evict idle',
      'close idle',
      'evict a',
      'close a',
      'evict b',
      'close b',
      'evict c',
      'close c',
    ]);
  });

  it('does close the manager when onEvict throws, rejects or hangs', async () => {
    vi.useFakeTimers();
    const made: Recorded[] = [];
    const hooks = [
      () => {
        throw new Error('x');
      },
      () => Promise.reject(new Error('x')),
      () => new Promise<void>(() => {}),
    ];
    for (const onEvict of hooks) {
      const pool = managerPool(
        (tenant) => {
          const manager = managerOf(tenant);
          made.push(manager);
          return manager;
        },
        { onEvict },
      );
      await pool.get('a');
      const closing = pool.close();
      await vi.advanceTimersByTimeAsync(POOL_CLOSE_TIMEOUT_MS);
      await closing;
    }
    expect(made.map((m) => m.closed)).toEqual([true, true, true]);
  });

  it('does release a manager refused for its cache key, and never touches garbage', async () => {
    const evicted: string[] = [];
    const pool = managerPool(
      (tenant) => ({ ...managerOf(tenant), key: tenant === 'garbage' ? '' : 'shared' }),
      { onEvict: (_, tenant) => void evicted.push(tenant) },
    );
    await pool.get('a');
    await expect(pool.get('b')).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(pool.get('garbage')).rejects.toBeInstanceOf(InvalidOptionsError);
    // The duplicate was made by create() and is released like any manager the pool lets go.
    expect(evicted).toEqual(['b']);
    await pool.close();
    expect(evicted).toEqual(['b', 'a']);
  });
});
