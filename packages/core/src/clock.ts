// The real clock. Tests inject their own, or use fake timers (this one reads Date and setTimeout late).
import { clampTimer } from './options/settings.ts';

/**
 * Time source; injectable so tests can drive expiry and back-off.
 *
 * @example
 * const clock: Clock = { now: () => fake.now, sleep: (ms, signal) => fake.sleep(ms, signal), random: () => 0.5 };
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1) for jitter. */
  random(): number;
  /**
   * Optional monotonic milliseconds (`performance.now()`), for waits that must not follow a
   * wall-clock step. `systemClock` has it (non-enumerable, so a clock spread from it with its own
   * `now` measures waits on that `now`).
   */
  monotonic?(): number;
}

/**
 * The real clock. Spread it to change one part, e.g. `{ ...systemClock, now: () => Date.now() + skew }`.
 * Its `monotonic()` (performance.now) is not enumerable: a spread clock measures waits on its own `now`.
 *
 * @example
 * createTokenManager(provider, { origins, clock: { ...systemClock, now: () => Date.now() + skewMs } });
 */
export const systemClock: Clock = Object.defineProperty(
  {
    now: () => Date.now(),
    random: () => Math.random(),
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, clampTimer(ms));
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  },
  'monotonic',
  { value: () => performance.now(), enumerable: false },
);

/** Milliseconds for measuring waits: monotonic when the clock has it, else its `now`. */
export function elapsed(clock: Clock): () => number {
  if (clock === systemClock) return systemMonotonic;
  const monotonic = clock.monotonic;
  return monotonic ? () => monotonic.call(clock) : () => clock.now();
}

const systemMonotonic = (): number => performance.now();
