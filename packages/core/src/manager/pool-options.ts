// What `managerPool` may be told, and how each option is checked.
import { MAX_TIMER_MS } from '../options/settings.ts';
import {
  checkOptions,
  isFunction,
  isNumber,
  must,
  type OptionCheck,
  optional,
} from '../options/validate.ts';
import type { Clock } from '../types.ts';
import type { PooledManager } from './manager-pool.ts';

/** Default bound on one `create(tenant)`: past it the callers get a `TimeoutError`. */
export const POOL_CREATE_TIMEOUT_MS = 30_000;
/** Default bound on one eviction (`onEvict` then the manager's `close()`). */
export const POOL_CLOSE_TIMEOUT_MS = 5_000;

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

/** Refuses a bad option with an `InvalidOptionsError` naming it (defaults are filled in by `managerPool`). */
export function checkPoolOptions(options: ManagerPoolOptions<never>): void {
  checkOptions(options, CHECKS, 'managerPool()');
}
