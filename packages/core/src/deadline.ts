// An abort signal that fires after a timeout (on the injectable clock) or when a parent aborts.
import { TimeoutError } from './errors.ts';
import type { Clock } from './types.ts';

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
 * does not matter to the caller (close() unwinding a cancelled fetch, a best-effort revocation).
 */
export function within(ms: number, work: Promise<unknown> | undefined): Promise<void> {
  if (!work) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    work.then(done, done);
  });
}
