// One tenant's manager being created for `managerPool`: started on the next microtask, bounded by a deadline, cancellable.
import { InvalidOptionsError, isAuthwireError, TimeoutError } from '../errors/errors.ts';

export interface Creation<M> {
  /** Settles with the accepted manager, or with why there is none. */
  readonly manager: Promise<M>;
  /** What `create` returned, settled or not: a manager arriving after the end is closed unused. */
  readonly made: Promise<unknown>;
  /** Ends the creation now (deadline, `delete`, `close()`): its callers get `error`. */
  readonly cancel: (error: unknown) => void;
}

/**
 * Calls `create` and hands what it resolves to `accept`, which returns the manager or throws why it
 * cannot be used (it closes a manager it refuses). Past `timeoutMs` the creation fails with a
 * `TimeoutError`; `onEnd` runs once when it fails, however it fails.
 */
export function startCreation<M>(
  create: () => M | Promise<M>,
  timeoutMs: number,
  accept: (value: unknown) => M,
  onEnd: () => void,
): Creation<M> {
  let settled = false;
  let cancel: (error: unknown) => void = () => {};
  // On the next microtask: a `create` that calls `get` for its own tenant finds this creation.
  const made: Promise<unknown> = Promise.resolve().then(create);
  const manager = new Promise<M>((resolve, reject) => {
    const timer = setTimeout(
      () => cancel(new TimeoutError('managerPool create()', timeoutMs)),
      timeoutMs,
    );
    (timer as { unref?: () => void }).unref?.();
    cancel = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      onEnd();
      reject(error);
    };
    made.then((value) => {
      let accepted: M;
      try {
        accepted = accept(value);
      } catch (error) {
        // A hostile value (a throwing getter) is typed like any value that is not a manager.
        cancel(isAuthwireError(error) ? error : notAManager());
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve(accepted);
    }, cancel);
  });
  // Callers get the rejection; a creation cancelled before anyone awaited it is not "unhandled".
  manager.catch(() => {});
  return { manager, made, cancel };
}

/**
 * The cache key of a manager the pool can hold (an object with a non-empty string `key` and a
 * `close()`), read once; throws `InvalidOptionsError` (option `create`) for anything else.
 */
export function poolKeyOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) throw notAManager();
  const key = (value as { key?: unknown }).key;
  if (typeof key !== 'string' || key === '') throw notAManager();
  if (typeof (value as { close?: unknown }).close !== 'function') throw notAManager();
  return key;
}

function notAManager(): InvalidOptionsError {
  return new InvalidOptionsError(
    'create',
    'create must resolve to a token manager (an object with a non-empty string key and close()); it did not',
  );
}
