// The real clock. Tests inject their own, or use fake timers (this one reads Date and setTimeout late).
import { clampTimer } from './options/settings.ts';
import type { Clock } from './types.ts';

/**
 * The real clock. Spread it to change one part, e.g. `{ ...systemClock, now: () => Date.now() + skew }`.
 * Its `monotonic()` (performance.now) is not enumerable: a spread clock measures waits on its own `now`.
 *
 * @example
 * ```ts
 * createTokenManager(provider, { origins, clock: { ...systemClock, now: () => Date.now() + skewMs } });
 * ```
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
