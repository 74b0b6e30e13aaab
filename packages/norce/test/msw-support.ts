// Integration-test helpers: one MSW server per file, and a clock the test moves by hand.
import type { Clock } from '@authwire/core';
import type { HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** Starts one MSW server for the file; unhandled requests fail the test (MSW 3 option name). */
export function useMsw(): { use(...handlers: HttpHandler[]): void } {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return { use: (...handlers) => server.resetHandlers(...handlers) };
}

export interface ManualClock extends Clock {
  /** Moves time forward and wakes every sleeper that is due. */
  advance(ms: number): void;
}

/** A clock shared by the manager and the mock; only `advance` moves it. */
export function manualClock(start: number = Date.UTC(2026, 0, 1)): ManualClock {
  let time = start;
  let sleepers: { due: number; wake: () => void }[] = [];
  return {
    now: () => time,
    random: () => 0.5,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const sleeper = {
          due: time + ms,
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
      });
    },
    advance(ms) {
      time += ms;
      const due = sleepers.filter((s) => s.due <= time).sort((a, b) => a.due - b.due);
      sleepers = sleepers.filter((s) => s.due > time);
      for (const sleeper of due) sleeper.wake();
    },
  };
}

/** Lets pending promise chains and MSW's interception run. */
export async function settle(rounds: number = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Awaits `promise`, advancing `clock` by `stepMs` whenever nothing else is left to run. Keep
 * `requestTimeoutMs` far above the total advanced, so only waits (rate limit, back-off) fire.
 */
export async function runUntilSettled<T>(
  clock: ManualClock,
  promise: Promise<T>,
  stepMs: number = 1_000,
): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => {});
  for (let i = 0; i < 10_000 && !done; i++) {
    await settle();
    if (!done) clock.advance(stepMs);
  }
  return tracked;
}
