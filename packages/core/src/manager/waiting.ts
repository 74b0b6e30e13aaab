// A caller's wait for a shared token fetch (its signal, its timeout, the manager's close), deadlines, and bounded best-effort waits.
import { AbortedError, isAuthwireError, TimeoutError } from '../errors/errors.ts';
import type { Clock } from '../types.ts';

/** Our own errors pass through (ClosedError, TimeoutError); anything else becomes AbortedError. */
export function asAbortError(reason: unknown): Error {
  if (isAuthwireError(reason)) return reason;
  // AbortSignal.timeout() aborts with a DOMException named TimeoutError.
  if (reason instanceof Error && reason.name === 'TimeoutError')
    return new TimeoutError('Waiting for a token');
  return new AbortedError(reason);
}

export interface Deadline {
  readonly signal: AbortSignal;
  /** Stops the timer and detaches from the parent; call it in `finally`. */
  dispose(): void;
}

export function deadline(clock: Clock, ms: number, what: string, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const timer = new AbortController();
  const onParentAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  clock.sleep(ms, timer.signal).then(
    () => controller.abort(new TimeoutError(what, ms)),
    () => {},
  );
  return {
    signal: controller.signal,
    dispose() {
      timer.abort();
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/**
 * Waits for `work` to settle (either way), but never longer than `ms`: for work whose outcome
 * does not matter to the caller (close() unwinding a cancelled fetch, a best-effort revocation,
 * a pool's eviction). The timer never keeps a process alive on its own.
 */
export function within(ms: number, work: Promise<unknown> | undefined): Promise<void> {
  if (!work) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    (timer as { unref?: () => void }).unref?.();
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    work.then(done, done);
  });
}

/**
 * A caller's wait for `shared`: until it settles, the caller's signal aborts or its `timeoutMs`
 * passes, or the manager closes (it calls every function in `waiters`). One entry per waiting
 * caller in a set, not one listener per caller on a shared signal: hundreds of callers must not
 * pile listeners onto one AbortSignal.
 */
export async function callerWait<T>(
  shared: Promise<T>,
  options: { readonly signal?: AbortSignal | undefined; readonly timeoutMs?: number | undefined },
  clock: Clock,
  waiters: Set<(error: Error) => void>,
): Promise<T> {
  const { signal, timeoutMs } = options;
  const timeout =
    timeoutMs === undefined || timeoutMs <= 0
      ? undefined
      : deadline(clock, timeoutMs, 'Waiting for a token');
  const signals = [signal, timeout?.signal];
  // A caller that stops waiting must not leave the shared failure unhandled.
  shared.catch(() => {});
  try {
    return await new Promise<T>((resolve, reject) => {
      const fail = (error: Error): void => {
        cleanup();
        reject(error);
      };
      const onAbort = function (this: AbortSignal): void {
        fail(asAbortError(this.reason));
      };
      const cleanup = (): void => {
        waiters.delete(fail);
        for (const one of signals) one?.removeEventListener('abort', onAbort);
      };
      if (signal?.aborted) return reject(asAbortError(signal.reason));
      for (const one of signals) one?.addEventListener('abort', onAbort, { once: true });
      waiters.add(fail);
      shared.then(
        (value) => {
          cleanup();
          resolve(value);
        },
        (error: unknown) => {
          cleanup();
          reject(error);
        },
      );
    });
  } finally {
    timeout?.dispose();
  }
}
