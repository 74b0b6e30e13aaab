// `managerPool`: one token manager per tenant, created on first use, closed when idle or evicted.
import { ClosedError, InvalidOptionsError } from '../errors/errors.ts';
import { checkOptions, invalidOption, type OptionCheck } from '../options/validate.ts';
import type { Clock } from '../types.ts';

/** What the pool needs of a manager: its cache key (to keep tenants apart) and `close()`. */
export interface PooledManager {
  /** The token cache key; two tenants' managers must never have the same one. */
  readonly key: string;
  close(): Promise<void>;
}

/** Options of {@link managerPool}. */
export interface ManagerPoolOptions {
  /**
   * Most managers open at once. Beyond it the least recently used one is closed. Default 1 000.
   * Keep it well above the number of tenants busy at the same moment: a manager closed while one
   * of its requests waits for a token fails that request with `ClosedError`.
   */
  readonly max?: number;
  /**
   * A manager not asked for in this long is closed (at the next `get` of any tenant: the pool
   * has no timer). Default 1 800 000 (30 min). `Infinity`: only `max` evicts.
   */
  readonly idleMs?: number;
  /** Where "now" comes from; default `Date.now`. */
  readonly clock?: Pick<Clock, 'now'>;
}

/** A registry of token managers keyed by tenant id. */
export interface ManagerPool<M extends PooledManager> {
  /**
   * The tenant's manager, created by `create(tenant)` on first use. Callers asking at the same
   * time share one creation; a creation that fails is not kept, so the next `get` tries again.
   * Rejects with `InvalidOptionsError` when `create` returns a manager whose cache key another
   * tenant's manager already has, and with `ClosedError` after `close()`.
   */
  get(tenant: string): Promise<M>;
  /** Closes and forgets the tenant's manager (offboarding, rotated credentials); a no-op if none. */
  delete(tenant: string): Promise<void>;
  /** Managers open or being created. */
  readonly size: number;
  /** Closes every manager and waits for them; later `get`s reject with `ClosedError`. */
  close(): Promise<void>;
}

interface Entry<M> {
  /** Set once `create` resolved and the manager was accepted. */
  manager: M | undefined;
  pending: Promise<M>;
  lastUsed: number;
}

const NAMES_ONLY: Readonly<Record<keyof ManagerPoolOptions, OptionCheck>> = {
  max: () => {},
  idleMs: () => {},
  clock: () => {},
};

function resolvePoolOptions(options: ManagerPoolOptions): {
  max: number;
  idleMs: number;
  now: () => number;
} {
  // A plain object of known names (an unknown one gets a did-you-mean); each value is checked below.
  checkOptions(options, NAMES_ONLY, 'managerPool()');
  const { max = 1_000, idleMs = 1_800_000, clock } = options;
  if (!(max >= 1) || (max !== Infinity && !Number.isInteger(max))) {
    invalidOption('max', 'must be an integer >= 1 or Infinity');
  }
  if (!(idleMs > 0)) invalidOption('idleMs', 'must be > 0');
  if (clock !== undefined && typeof clock?.now !== 'function')
    invalidOption('clock', 'needs now()');
  return { max, idleMs, now: clock ? () => clock.now() : Date.now };
}

/**
 * One token manager per tenant for services that talk to many tenants (agencies, middleware):
 * created on first use, closed after `idleMs` without use or when `max` are open (least recently
 * used first). Each tenant's manager keeps its own credential; the pool refuses a manager whose
 * cache key another tenant's manager has, so two tenants never share a token. Key the pool by
 * your own tenant id, never by something the caller sends unchecked.
 *
 * Idle managers are closed lazily, on the next `get` of any tenant: there is no timer to leak,
 * keep a process alive or drift under fake time, and each `get` costs O(1) amortised (the pool
 * is kept in least-recently-used order). An idle manager does no work while it waits (no token
 * is requested without a caller), so closing it late only costs memory, which `max` bounds.
 *
 * @example
 * ```ts
 * import { managerPool } from '@authwire/core';
 * import { norce } from '@authwire/norce';
 *
 * const pool = managerPool(
 *   async (tenantId) => norce(await credentialsOf(tenantId)), // each tenant its own credential
 *   { max: 500, idleMs: 15 * 60_000 },
 * );
 * const auth = await pool.get(request.tenantId);
 * await fetch(url, { headers: (await auth.authorize(url))?.headers });
 * await pool.close(); // on shutdown
 * ```
 */
export function managerPool<M extends PooledManager>(
  create: (tenant: string) => M | Promise<M>,
  options: ManagerPoolOptions = {},
): ManagerPool<M> {
  if (typeof create !== 'function') invalidOption('create', 'must be a function');
  const { max, idleMs, now } = resolvePoolOptions(options);
  // Insertion order is recency order: a `get` moves its tenant to the end.
  const entries = new Map<string, Entry<M>>();
  const tenantOfKey = new Map<string, string>();
  const closing = new Set<Promise<void>>();
  let closed = false;

  /** Forgets `tenant` and closes its manager (once created); `close()` waits for it. */
  const retire = (tenant: string, entry: Entry<M>): Promise<void> => {
    if (entries.get(tenant) === entry) entries.delete(tenant);
    const done: Promise<void> = entry.pending
      .then((manager) => {
        if (tenantOfKey.get(manager.key) === tenant) tenantOfKey.delete(manager.key);
        return manager.close();
      })
      // A creation that failed has nothing to close; a TokenManager's close does not reject.
      .catch(() => {})
      .finally(() => closing.delete(done));
    closing.add(done);
    return done;
  };

  /** Closes managers idle for `idleMs`, oldest first, up to the first one in use. */
  const sweep = (at: number): void => {
    for (const [tenant, entry] of entries) {
      // Still being created: someone is waiting for it right now.
      if (at - entry.lastUsed < idleMs || entry.manager === undefined) return;
      retire(tenant, entry);
    }
  };

  /**
   * Makes room for one more: closes the least recently used managers until fewer than `max` are
   * open. Ones still being created are skipped (their callers are waiting), so a burst of new
   * tenants may overshoot `max` until their creations settle and the next `get` trims it back.
   */
  const makeRoom = (): void => {
    for (const [tenant, entry] of entries) {
      if (entries.size < max) return;
      if (entry.manager !== undefined) retire(tenant, entry);
    }
  };

  const adopt = (tenant: string, entry: Entry<M>, manager: M): M => {
    if (closed || entries.get(tenant) !== entry) {
      // Deleted or pool closed while it was being created: nobody may use it.
      void manager.close().catch(() => {});
      throw new ClosedError();
    }
    const owner = tenantOfKey.get(manager.key);
    if (owner !== undefined && owner !== tenant) {
      entries.delete(tenant);
      void manager.close().catch(() => {});
      // Two tenants, one credential: a configuration mistake that would share their token.
      invalidOption('create', "returned a manager with another tenant's cache key");
    }
    tenantOfKey.set(manager.key, tenant);
    entry.manager = manager;
    return manager;
  };

  return {
    get(tenant: string): Promise<M> {
      if (closed) return Promise.reject(new ClosedError());
      if (typeof tenant !== 'string' || tenant === '') {
        return Promise.reject(
          new InvalidOptionsError('tenant', 'tenant must be a non-empty string'),
        );
      }
      const at = now();
      const known = entries.get(tenant);
      if (known !== undefined) {
        known.lastUsed = at;
        entries.delete(tenant);
        entries.set(tenant, known);
        sweep(at);
        return known.pending;
      }
      sweep(at);
      makeRoom();
      const entry: Entry<M> = {
        manager: undefined,
        pending: Promise.resolve() as never,
        lastUsed: at,
      };
      entry.pending = (async () => create(tenant))().then(
        (manager) => adopt(tenant, entry, manager),
        (error: unknown) => {
          if (entries.get(tenant) === entry) entries.delete(tenant);
          throw error;
        },
      );
      entries.set(tenant, entry);
      return entry.pending;
    },

    delete(tenant: string): Promise<void> {
      const entry = entries.get(tenant);
      return entry === undefined ? Promise.resolve() : retire(tenant, entry);
    },

    get size(): number {
      return entries.size;
    },

    async close(): Promise<void> {
      closed = true;
      for (const [tenant, entry] of entries) retire(tenant, entry);
      while (closing.size > 0) await Promise.all(closing);
    },
  };
}
