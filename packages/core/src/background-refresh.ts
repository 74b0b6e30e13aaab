// Refresh-ahead in the background: at most one at a time per key, with its own back-off after failures.
import { backoffDelay } from './backoff.ts';
import { RateLimitedError } from './errors.ts';
import { BACKGROUND_RETRY_BASE_MS, BACKGROUND_RETRY_MAX_MS, MAX_WAIT_MS } from './settings.ts';

/** Back-off state of one key's background refresh. */
export class BackgroundRefresh {
  #failures = 0;
  #nextAt = 0;

  /** Whether a background refresh may start now (not while backing off from a failed one). */
  isDue(now: number): boolean {
    return now >= this.#nextAt;
  }

  succeeded(): void {
    this.#failures = 0;
    this.#nextAt = 0;
  }

  /** After a failure: no new attempt before the back-off; the valid token is served meanwhile. */
  failed(now: number, error: unknown, random: number): void {
    this.#failures += 1;
    const retryInMs =
      error instanceof RateLimitedError
        ? Math.min(MAX_WAIT_MS, error.retryAfterMs)
        : backoffDelay(this.#failures, BACKGROUND_RETRY_BASE_MS, BACKGROUND_RETRY_MAX_MS, random);
    this.#nextAt = now + retryInMs;
  }
}
