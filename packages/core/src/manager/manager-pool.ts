// `managerPool`: one token manager per tenant, created on first use, closed when idle or evicted.
import { ClosedError, InvalidOptionsError } from '../errors/errors.ts';
import { MAX_TIMER_MS } from '../options/settings.ts';
import {
  checkOptions,
  invalidOption,
  isFunction,
  isNumber,
  must,
  type OptionCheck,
  optional,
} from '../options/validate.ts';
import type { Clock } from '../types.ts';
import { type Creation, poolKeyOf, startCreation } from './pool-creation.ts';
import { within } from './waiting.ts';

/** Default bound on one `create(tenant)`: past it the callers get a `TimeoutError`. */
export const POOL_CREATE_TIMEOUT_MS = 30_000;
/** Default bound on one eviction (`onEvict` then the manager's `close()`). */
export const POOL_CLOSE_TIMEOUT_MS = 5_000;

/** What the pool needs of a manager: its cache key (to keep tenants apart) and `close()`. */
export interface PooledManager {
  /** The token cache key; two tenants' managers must never have the same one. */
  readonly key: string;
  close(): Promise<void>;
}

/** Options of {@link managerPool}. */
export interface ManagerPoolOptions<M extends PooledManager = PooledManager> {
  /**
   * Most managers open at once. Beyond it the least recently used one is closed. Default 1 000.
   * Keep it well above the number of tenants busy at the same moment: a manager closed while one
   * of its requests waits for a token fails that request with `ClosedError`.
   */
  readonly max?: number;
  /**
   * A manager not asked for in this long is closed (at the next `get` of any tenant: the pool
   * has no idle timer). Default 1 800 000 (30 min). `Infinity`: only `max` evicts.
   */
  readonly idleMs?: number;
  /**
   * The longest one `create(tenant)` may take, in ms. Past it every caller waiting for that
   * tenant gets a `TimeoutError`, the next `get` calls `create` again, and a manager that still
   * arrives later is closed unused. Default 30 000.
   */
  readonly createTimeoutMs?: number;
  /**
   * Per-manager teardown, called when the pool lets a manager go (idle, `max`, `delete`,
   * `close()`), before its `close()`: undo what `create` set up beside it (an `instrument()`,
   * a subscription). Its failure is ignored; `onEvict` plus `close()` are bounded by 5 s.
   *
   * @example
   * ```ts
   * const stops = new WeakMap<object, () => void>();
   * managerPool((tenant) => { const m = make(tenant); stops.set(m, instrument(m)); return m; },
   *   { onEvict: (m) => stops.get(m)?.() });
   * ```
   */
  readonly onEvict?: (manager: M, tenant: string) => void | Promise<void>;
  /** Where "now" comes from; default `Date.now`. */
  readonly clock?: Pick<Clock, 'now'>;
}

/** A registry of token managers keyed by tenant id. */
export interface ManagerPool<M extends PooledManager> {
  /**
   * The tenant's manager, created by `create(tenant)` on first use. Callers asking at the same
   * time share one creation; a creation that fails is not kept, so the next `get` tries again.
   * Rejects with `InvalidOptionsError` (option `create`) when `create` returns something that is
   * not a manager, or a manager whose cache key another tenant's manager already has; with
   * `TimeoutError` when `create` takes longer than `createTimeoutMs`; with `ClosedError` after
   * `close()` (callers still waiting for a creation included). Anything `create` throws reaches
   * the caller as it was thrown.
   */
  get(tenant: string): Promise<M>;
  /** Closes and forgets the tenant's manager (offboarding, rotated credentials); a no-op if none. */
  delete(tenant: string): Promise<void>;
  /** Managers open or being created. */
  readonly size: number;
  /**
   * Closes every manager and waits for them, each for at most 5 s (it always settles); callers
   * waiting for a creation get `ClosedError` at once; later `get`s reject with `ClosedError`.
   */
  close(): Promise<void>;
}

const CHECKS: Readonly<Record<keyof ManagerPoolOptions, OptionCheck>> = {
  max: optional(
    must(
      'an integer >= 1 or Infinity',
      (v) => v === Infinity || (Number.isInteger(v) && (v as number) >= 1),
    ),
  ),
  // `Infinity` evicts by `max` only.
  idleMs: optional(must('a number > 0 (ms) or Infinity', (v) => typeof v === 'number' && v > 0)),
  createTimeoutMs: optional(isNumber(1, MAX_TIMER_MS)),
  onEvict: optional(isFunction),
  clock: optional(
    must('an object with a now() function', (v) => typeof (v as Clock)?.now === 'function'),
  ),
};

interface Entry<M> {
  readonly creation: Creation<M>;
  /** Set once the creation resolved and the manager was accepted. */
  manager: M | undefined;
  /** The manager's cache key as read when it was accepted (a getter cannot change it later). */
  key: string;
  lastUsed: number;
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
  options: ManagerPoolOptions<NoInfer<M>> = {},
): ManagerPool<M> {
  if (typeof create !== 'function') invalidOption('create', 'must be a function');
  checkOptions(options, CHECKS, 'managerPool()');
  const {
    max = 1_000,
    idleMs = 1_800_000,
    createTimeoutMs = POOL_CREATE_TIMEOUT_MS,
    onEvict,
    clock,
  } = options;
  // Insertion order is recency order: a `get` moves its tenant to the end.
  const entries = new Map<string, Entry<M>>();
  const tenantOfKey = new Map<string, string>();
  const closing = new Set<Promise<void>>();
  let closed = false;

  const forget = (tenant: string, entry: Entry<M>): void => {
    if (entries.get(tenant) === entry) entries.delete(tenant);
  };

  /** Lets `manager` go: `onEvict`, then `close()`, together bounded; never rejects. `close()` waits for it. */
  const release = (manager: M, tenant: string): Promise<void> => {
    const evicted = (async () => {
      if (onEvict) await within(POOL_CLOSE_TIMEOUT_MS, (async () => onEvict(manager, tenant))());
      await manager.close();
    })();
    return track(within(POOL_CLOSE_TIMEOUT_MS, evicted));
  };

  /** Keeps `work` in `closing` until it settles, for `close()` to wait on. */
  const track = (work: Promise<void>): Promise<void> => {
    const done: Promise<void> = work.finally(() => closing.delete(done));
    closing.add(done);
    return done;
  };

  /** Forgets `tenant` and closes its manager (once created); `close()` waits for it. */
  const retire = (tenant: string, entry: Entry<M>): Promise<void> => {
    forget(tenant, entry);
    const manager = entry.manager;
    if (manager === undefined) {
      // Still being created: its callers are told now; a manager arriving later is closed unused
      // (`close()` waits for that a little while, bounded like every release).
      entry.creation.cancel(new ClosedError());
      const ms = Math.min(createTimeoutMs, POOL_CLOSE_TIMEOUT_MS);
      return track(within(ms, entry.creation.made));
    }
    if (tenantOfKey.get(entry.key) === tenant) tenantOfKey.delete(entry.key);
    return release(manager, tenant);
  };

  /** Closes managers idle for `idleMs`, oldest first, up to the first one in use. */
  const sweep = (at: number): void => {
    for (const [tenant, entry] of entries) {
      // Being created (bounded by createTimeoutMs): someone is waiting for it; look past it.
      if (entry.manager === undefined) continue;
      if (at - entry.lastUsed < idleMs) return;
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

  /** What `create` resolved to, as the tenant's manager; throws the typed reason it cannot be. */
  const accept = (tenant: string, entry: Entry<M>, value: unknown): M => {
    const key = poolKeyOf(value);
    const manager = value as M;
    if (entries.get(tenant) !== entry) {
      // Timed out, deleted or pool closed while it was being created: nobody may use it.
      void release(manager, tenant);
      throw new ClosedError();
    }
    const owner = tenantOfKey.get(key);
    if (owner !== undefined && owner !== tenant) {
      // Two tenants, one credential: a configuration mistake that would share their token.
      void release(manager, tenant);
      invalidOption('create', "returned a manager with another tenant's cache key");
    }
    tenantOfKey.set(key, tenant);
    entry.key = key;
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
      const at = clock ? clock.now() : Date.now();
      const known = entries.get(tenant);
      if (known !== undefined) {
        known.lastUsed = at;
        entries.delete(tenant);
        entries.set(tenant, known);
        sweep(at);
        return known.creation.manager;
      }
      sweep(at);
      makeRoom();
      const entry: Entry<M> = {
        manager: undefined,
        key: '',
        lastUsed: at,
        creation: startCreation(
          () => create(tenant),
          createTimeoutMs,
          (value) => accept(tenant, entry, value),
          () => forget(tenant, entry),
        ),
      };
      entries.set(tenant, entry);
      return entry.creation.manager;
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
      // Each release is bounded, so this settles; a late creation adds none (the pool is closed).
      while (closing.size > 0) await Promise.all(closing);
    },
  };
}
