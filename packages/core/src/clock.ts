// The real clock. Tests inject their own, or use fake timers (this one reads Date and setTimeout late).
import type { Clock } from './types.ts';

/**
 * The real clock. Spread it to change one part, e.g. `{ ...systemClock, now: () => Date.now() + skew }`.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep(ms, signal) {
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
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
