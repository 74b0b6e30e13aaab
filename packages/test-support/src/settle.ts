// Letting in-process work run: promise chains, MSW's interception, and waits on a manual clock.

/** Lets pending promise chains and MSW's interception run. */
export async function settle(rounds: number = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Awaits `promise`, advancing `clock` by `stepMs` whenever nothing else is left to run. Keep
 * `requestTimeoutMs` far above the total advanced, so only waits (rate limit, back-off) fire.
 */
export async function runUntilSettled<T>(
  clock: { advance(ms: number): void },
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
