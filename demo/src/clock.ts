// A clock the demo shares between the mock platforms and the token managers, so a scenario can
// skip minutes of token lifetime in an instant.
import type { Clock } from '@authwire/core';
import { systemClock } from '@authwire/core/kit';

/** Wall-clock time plus whatever the scenario skipped; sleeps (timeouts, back-off) are real. */
export interface DemoClock extends Clock {
  /** Moves time forward by `ms` for the managers and the mocks alike. */
  advance(ms: number): void;
}

export function demoClock(): DemoClock {
  let offset = 0;
  return {
    ...systemClock,
    now: () => Date.now() + offset,
    // Fixed jitter keeps the refresh-ahead numbers the same on every run.
    random: () => 0.5,
    advance(ms) {
      offset += ms;
    },
  };
}
