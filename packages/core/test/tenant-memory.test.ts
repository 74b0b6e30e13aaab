// Many tenants per process: 10,000 create/close cycles leave nothing behind (forced GC, WeakRefs),
// on the shared default store, on a store per manager, and through managerPool.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  clientCredentials,
  createTokenManager,
  managerPool,
  memoryStore,
  type Token,
  type TokenManager,
} from '../src/index.ts';
import { requestAuth, systemClock } from '../src/kit.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const TENANTS = 10_000;
/** The shared store keeps the tokens of the last few keys closed (CLOSED_KEYS_KEPT) and no more. */
const KEPT = 64;

/** One token endpoint for every tenant, answering with a token that names the tenant. */
const stubFetch: typeof fetch = async (input) => {
  const url = input instanceof Request ? input.url : String(input);
  const tenant = /tenant-(\d+)\./.exec(url)?.[1];
  return Response.json({ access_token: `tok-${tenant}`, token_type: 'Bearer', expires_in: 3600 });
};

function tenantManager(i: number, store = false): TokenManager {
  return createTokenManager(
    clientCredentials({
      tokenUrl: `https://tenant-${i}.example.com/oauth2/token`,
      clientId: `client-${i}`,
      clientSecret: `secret-${i}`,
    }),
    {
      origins: [`https://tenant-${i}.example.com`],
      fetch: stubFetch,
      ...(store ? { store: memoryStore() } : {}),
    },
  );
}

async function collect(): Promise<number> {
  // A WeakRef's target survives the job that made it: let a few turns pass between collections.
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * Runs `cycle` for TENANTS tenants twice: once measuring the heap (nothing else held), once with
 * WeakRefs to what each one made, to count what survived.
 */
async function cycles(
  cycle: (i: number) => Promise<{ manager: object; token: Token; seam?: object }>,
): Promise<{
  managers: number;
  tokens: number[];
  seams: number;
  grewBy: number;
  managersLeft: () => Promise<number>;
}> {
  // A first few hundred: module state and JIT-compiled code are not per-tenant costs.
  for (let i = 0; i < 300; i++) await cycle(3 * TENANTS + i);
  const before = await collect();
  for (let i = 0; i < TENANTS; i++) await cycle(2 * TENANTS + i);
  const grewBy = (await collect()) - before;
  const managers: WeakRef<object>[] = [];
  const tokens: WeakRef<Token>[] = [];
  const seams: WeakRef<object>[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const made = await cycle(i);
    managers.push(new WeakRef(made.manager));
    tokens.push(new WeakRef(made.token));
    if (made.seam) seams.push(new WeakRef(made.seam));
  }
  await collect();
  const alive = (refs: WeakRef<object>[]) => refs.filter((ref) => ref.deref() !== undefined).length;
  return {
    managers: alive(managers),
    tokens: tokens.flatMap((ref, i) => (ref.deref() ? [i] : [])),
    seams: alive(seams),
    grewBy,
    managersLeft: async () => {
      await collect();
      return alive(managers);
    },
  };
}

describe(`${TENANTS.toLocaleString('en')} tenants created and closed one after another`, () => {
  it('on the default shared store: managers and seams collected, only the last few tokens kept', async () => {
    const left = await cycles(async (i) => {
      const manager = tenantManager(i);
      const token = await manager.getToken();
      const seam = requestAuth(manager);
      await seam.authorize({ url: `https://tenant-${i}.example.com/orders` });
      await manager.close();
      return { manager, token, seam };
    });
    expect(left.managers).toBe(0);
    expect(left.seams).toBe(0);
    // The tokens still held are those of the most recently closed keys, and no more.
    expect(left.tokens.length).toBeLessThanOrEqual(KEPT);
    expect(left.tokens.every((i) => i >= TENANTS - KEPT)).toBe(true);
    // Before: ~5.2 kB per closed tenant stayed (52 MB here). A bound, not a measurement.
    expect(left.grewBy).toBeLessThan(TENANTS * 100);
  });

  it('with a declared rate limit per tenant: the endpoint records of closed tenants go once their buckets refill', async () => {
    // Norce-like: 3 per minute, burst 20, keyed by the tenant's own token host. The clock moves a
    // minute per tenant, so an earlier tenant's bucket is full again (a record that says nothing).
    let now = Date.UTC(2026, 0, 1);
    const clock = { ...systemClock, now: () => now };
    const left = await cycles(async (i) => {
      now += 60_000;
      const origin = `https://tenant-${i}.example.com`;
      const provider = clientCredentials({
        tokenUrl: `${origin}/oauth2/token`,
        clientId: `client-${i}`,
        clientSecret: `secret-${i}`,
      });
      const rateLimit = { requests: 3, intervalMs: 60_000, burst: 20, key: origin };
      const manager = createTokenManager(
        { ...provider, rateLimit },
        { origins: [origin], fetch: stubFetch, clock },
      );
      const token = await manager.getToken();
      await manager.close();
      return { manager, token };
    });
    expect(left.managers).toBe(0);
    // Before: every tenant's bucket stayed (~350-400 B each, 3.5 MB here). A bound, not a measurement.
    expect(left.grewBy).toBeLessThan(TENANTS * 100);
  });

  it('a closed key reopened soon still finds its token (a manager per request)', async () => {
    let requests = 0;
    const counting: typeof fetch = async (input, init) => {
      requests += 1;
      return stubFetch(input, init);
    };
    const make = () =>
      createTokenManager(
        clientCredentials({
          tokenUrl: 'https://tenant-reopened.example.com/oauth2/token',
          clientId: 'client-reopened',
          clientSecret: 'secret-reopened',
        }),
        { origins: ['https://tenant-reopened.example.com'], fetch: counting },
      );
    for (let i = 0; i < 5; i++) {
      const manager = make();
      await manager.getToken();
      await manager.close();
    }
    expect(requests).toBe(1);
  });

  it('with a store per manager: nothing kept', async () => {
    const left = await cycles(async (i) => {
      const manager = tenantManager(i, true);
      const token = await manager.getToken();
      await manager.close();
      return { manager, token };
    });
    expect(left.managers).toBe(0);
    expect(left.tokens).toEqual([]);
    expect(left.grewBy).toBeLessThan(TENANTS * 100);
  });

  it('through managerPool (max 100): idle managers closed, nothing kept beyond the pool', async () => {
    const pool = managerPool((tenant) => tenantManager(Number(tenant), true), {
      max: 100,
      idleMs: Number.POSITIVE_INFINITY,
    });
    const left = await cycles(async (i) => {
      const manager = await pool.get(String(i));
      return { manager, token: await manager.getToken() };
    });
    // The pool's 100 most recent tenants are alive; every earlier one was closed and collected.
    expect(left.managers).toBeLessThanOrEqual(100);
    expect(left.tokens.every((i) => i >= TENANTS - 100)).toBe(true);
    expect(left.managers).toBeGreaterThan(0);
    await pool.close();
    expect(await left.managersLeft()).toBe(0);
  });
});
