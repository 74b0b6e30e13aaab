// Lets one caller stop waiting for a shared promise without cancelling it for the others.
import { AbortedError, isAuthwireError, TimeoutError } from './errors.ts';

/**
 * Waits for `promise` until it settles, a signal aborts, or the manager closes (it calls every
 * function in `waiters`). One entry per waiting caller in a set, not one listener per caller on a
 * shared signal: hundreds of callers must not pile listeners onto one AbortSignal.
 */
export function waitFor<T>(
  promise: Promise<T>,
  signals: readonly (AbortSignal | undefined)[],
  waiters: Set<(error: Error) => void>,
): Promise<T> {
  const active = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  // A caller that stops waiting must not leave the shared failure unhandled.
  promise.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const fail = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onAbort = function (this: AbortSignal): void {
      fail(asAbortError(this.reason));
    };
    const cleanup = (): void => {
      waiters.delete(fail);
      for (const signal of active) signal.removeEventListener('abort', onAbort);
    };
    for (const signal of active) {
      if (signal.aborted) {
        reject(asAbortError(signal.reason));
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
    }
    waiters.add(fail);
    promise.then(
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
}

/** Our own errors pass through (ClosedError, TimeoutError); anything else becomes AbortedError. */
export function asAbortError(reason: unknown): Error {
  if (isAuthwireError(reason)) return reason;
  // AbortSignal.timeout() aborts with a DOMException named TimeoutError.
  if (reason instanceof Error && reason.name === 'TimeoutError')
    return new TimeoutError('Waiting for a token');
  return new AbortedError(reason);
}
