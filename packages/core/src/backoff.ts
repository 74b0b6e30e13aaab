// Back-off delays and Retry-After parsing for the token endpoint.

/** Exponential back-off with "equal jitter": never zero, never over `max`. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: number,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** `Retry-After` as seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP dates start with a day name and carry hh:mm:ss; Date.parse alone reads garbage as dates.
  if (!/^[A-Za-z]{3}.*\d{1,2}:\d{2}:\d{2}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
