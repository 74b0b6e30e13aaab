// One clock for a mock and a token manager in a test: time moves only when the test moves it.

/**
 * What {@link manualClock} returns: a `Clock` for `@authwire/core` (`now`, `sleep`, `random`) that
 * the test drives. Every member is a plain function, so `clock.now` can be handed on by itself.
 */
export interface ManualClock {
  /** The clock's time in ms since the epoch. Pass it as a mock's `now` option. */
  readonly now: () => number;
  /**
   * Resolves once the clock has been moved `ms` or more past the time of the call (a sleep of 0
   * waits for the next move); rejects with the signal's reason when `signal` aborts.
   */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Always 0.5, so jitter is the same on every run. */
  readonly random: () => number;
  /** Moves time forward by `ms` and wakes every sleep that is due, earliest first. */
  readonly advance: (ms: number) => void;
  /** Moves time to `epochMs` (forward or back) and wakes every sleep that is due, earliest first. */
  readonly set: (epochMs: number) => void;
  /**
   * Moves time to the earliest pending sleep (if it lies ahead) and wakes it and every other sleep
   * then due; `false` when nothing is asleep. For tests that do not know when the next wait ends.
   */
  readonly next: () => boolean;
}

interface Sleeper {
  readonly due: number;
  readonly wake: () => void;
}

/**
 * A clock that stands still until the test moves it. Share it between a mock (its `now` option) and
 * a token manager (its `clock` option) to skip a token's lifetime in an instant: the manager's
 * waits (back-off, `Retry-After`, request timeouts) end only when the clock is moved past them.
 *
 * @param start - The initial time in ms since the epoch; default 2026-01-01T00:00:00Z, so runs
 *   repeat exactly.
 *
 * @example
 * ```ts
 * const clock = manualClock();
 * const mock = norceMock({ environment: 'playground', now: clock.now });
 * const auth = norce({ ...options, clock });
 * await auth.getToken();
 * clock.advance(3_600_000); // the token has expired for the mock and the manager alike
 * ```
 */
export function manualClock(start: number = Date.UTC(2026, 0, 1)): ManualClock {
  let time = start;
  let sleepers: Sleeper[] = [];

  const wakeDue = (): void => {
    // A stable sort: sleeps due at the same time wake in the order they began.
    const due = sleepers.filter((s) => s.due <= time).sort((a, b) => a.due - b.due);
    sleepers = sleepers.filter((s) => s.due > time);
    for (const sleeper of due) sleeper.wake();
  };
  const set = (epochMs: number): void => {
    time = epochMs;
    wakeDue();
  };

  return {
    now: () => time,
    random: () => 0.5,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const sleeper: Sleeper = {
          due: time + Math.max(0, ms),
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = (): void => {
          sleepers = sleepers.filter((s) => s !== sleeper);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.push(sleeper);
      }),
    advance: (ms) => set(time + ms),
    set,
    next: () => {
      if (sleepers.length === 0) return false;
      set(sleepers.reduce((earliest, s) => Math.min(earliest, s.due), Number.POSITIVE_INFINITY));
      return true;
    },
  };
}
