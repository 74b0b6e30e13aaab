// Back-off delays and Retry-After parsing for the token endpoint, with their ceilings.
import { MAX_WAIT_MS } from '../options/settings.ts';

/** `ms` within [0, MAX_WAIT_MS]; NaN counts as 0. */
export function capWait(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_WAIT_MS);
}

/** Exponential back-off with "equal jitter": never zero, never over `max` nor `MAX_WAIT_MS`. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: number,
): number {
  const ceiling = capWait(Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1)));
  const jitter = random >= 0 && random < 1 ? random : 0.5;
  return Math.round(ceiling / 2 + (ceiling / 2) * jitter);
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) as delay-seconds or an HTTP date, in ms from `now`, capped at
 * `MAX_WAIT_MS`; a date in the past is 0; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  // Absurd values (a year, 20 digits, ms sent as seconds) are read as the ceiling, not ignored.
  if (/^\d+$/.test(trimmed)) return capWait(Number(trimmed) * 1000);
  // HTTP dates start with a day name and carry hh:mm:ss; Date.parse alone reads garbage as dates.
  if (!/^[A-Za-z]{3}.*\d{1,2}:\d{2}:\d{2}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return capWait(date - now);
}
