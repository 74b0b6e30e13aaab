// Lets one caller stop waiting for a shared promise without cancelling it for the others.
import { AbortedError, isAuthwireError, TimeoutError } from './errors.ts';

export function waitFor<T>(
  promise: Promise<T>,
  ...signals: (AbortSignal | undefined)[]
): Promise<T> {
  const active = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (active.length === 0) return promise;
  return new Promise<T>((resolve, reject) => {
    const cleanup = (): void => {
      for (const signal of active) signal.removeEventListener('abort', onAbort);
    };
    const onAbort = function (this: AbortSignal): void {
      cleanup();
      reject(asAbortError(this.reason));
    };
    for (const signal of active) {
      if (signal.aborted) {
        reject(asAbortError(signal.reason));
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
    }
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
