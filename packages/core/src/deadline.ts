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
