// Simulated time for the steady-load scenario: a clock that moves only when the driver moves it,
// with sleeps (the managers' waits, the modelled network latency) that wake in time order.
import type { Clock } from '@authwire/core';

interface Sleeper {
  readonly due: number;
  readonly seq: number;
  readonly wake: () => void;
}

export interface SimClock extends Clock {
  /** When the earliest sleep is due, or undefined when nothing sleeps. */
  nextDue(): number | undefined;
  /** Moves time to `at` (never backwards), waking each sleep then due, earliest first; how many woke. */
  advanceTo(at: number): number;
  /** Sleeps begun plus sleeps woken: changes whenever simulated work starts or ends. */
  readonly activity: () => number;
}

/** A seeded generator of numbers in [0, 1) (mulberry32): small, and runs repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A simulated clock starting at `start`; `random` is seeded so runs repeat. */
export function simClock(start: number, seed = 1): SimClock {
  let time = start;
  let seq = 0;
  let activity = 0;
  let sleepers: Sleeper[] = [];
  const random = seededRandom(seed);
  return {
    now: () => time,
    random,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        activity += 1;
        const sleeper: Sleeper = {
          due: time + Math.max(0, ms),
          seq: seq++,
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            activity += 1;
            resolve();
          },
        };
        const onAbort = (): void => {
          sleepers = sleepers.filter((s) => s !== sleeper);
          activity += 1;
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.push(sleeper);
      }),
    nextDue: () => (sleepers.length === 0 ? undefined : Math.min(...sleepers.map((s) => s.due))),
    advanceTo(at) {
      time = Math.max(time, at);
      const due = sleepers
        .filter((s) => s.due <= time)
        .sort((a, b) => a.due - b.due || a.seq - b.seq);
      sleepers = sleepers.filter((s) => s.due > time);
      for (const sleeper of due) sleeper.wake();
      return due.length;
    },
    activity: () => activity,
  };
}
