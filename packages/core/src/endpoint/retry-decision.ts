// Whether a failed token attempt is tried again, and after how long.
import { isAuthwireError, RateLimitedError, TokenEndpointError } from '../errors/errors.ts';
import { backoffDelay } from '../rate-limit/backoff.ts';
import { blockedFor, onRateLimited } from '../rate-limit/rate-gate.ts';
import type { Budget } from './fetch-budget.ts';
import type { FetcherDeps } from './token-fetcher.ts';

/**
 * The wait before the next attempt, or undefined when `error` ends the fetch: it is final, the
 * attempts are used up, or the wait would not leave the next attempt its time. A 429 blocks the
 * endpoint for its Retry-After (a `rate_limited` event says whether this fetch waits it out);
 * other retries wait out the endpoint's outage mark (`outageMs`, the fleet's pace) or this fetch's
 * own back-off, whichever is longer.
 */
export function retryDelay(
  deps: FetcherDeps,
  error: Error,
  attempt: number,
  budget: Budget,
  outageMs: number,
): number | undefined {
  const { events, label, settings, clock, provider, rateLimit, store, monotonic } = deps;
  const fits = (ms: number): boolean => attempt < settings.maxAttempts && ms <= budget.spare();
  if (error instanceof RateLimitedError) {
    onRateLimited(store, rateLimit, provider.key, monotonic(), error.retryAfterMs);
    const waitMs = blockedFor(store, rateLimit, provider.key, monotonic());
    const willWait = waitMs <= settings.maxRetryAfterMs && fits(waitMs);
    events.emit({ type: 'rate_limited', label, source: 'server', waitMs, willWait });
    return willWait ? waitMs : undefined;
  }
  if (!isRetryable(error)) return undefined;
  const delayMs = Math.max(
    outageMs,
    backoffDelay(attempt, settings.retryBaseDelayMs, settings.retryMaxDelayMs, clock.random()),
  );
  return fits(delayMs) ? delayMs : undefined;
}

/** A 5xx or network failure the endpoint may recover from, or an attempt that timed out. */
function isRetryable(error: Error): boolean {
  if (error instanceof TokenEndpointError) return error.retryable;
  return isAuthwireError(error) && error.code === 'timeout';
}
