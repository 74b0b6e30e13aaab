// Which origins may receive a manager's token: a fast string check for the common case, the URL parser otherwise.
import { originOf, secureOrigins } from './url.ts';

/**
 * Normalised origins (`scheme://host[:port]`), each HTTPS or loopback http, frozen. Each one is
 * the caller's own string when it is already the origin, else a flat copy (the URL parser's
 * origins are slices of the whole URL, which they would keep alive).
 */
export function allowedOrigins(origins: readonly (string | URL)[]): readonly string[] {
  const normalised = secureOrigins(origins, 'origins');
  // A frozen list that is already exactly that (a preset's `origins`) is shared, not copied.
  const same =
    Object.isFrozen(origins) &&
    origins.length === normalised.length &&
    normalised.every((origin, i) => origins[i] === origin);
  if (same) return origins as readonly string[];
  // A given string that is already the origin is kept (a preset's base URL, shared with it).
  const kept = (origin: string): string =>
    (origins.find((given) => given === origin) as string | undefined) ?? flat(origin);
  return Object.freeze(normalised.map(kept));
}

/** Whether `url`'s origin is one of `origins` (from `allowedOrigins`). */
export function isAllowedOrigin(origins: readonly string[], url: string | URL): boolean {
  if (typeof url === 'string') {
    // Fast path: an allowed origin followed by a path, query, fragment or nothing. Anything
    // else (userinfo, ports, case, look-alike hosts) goes through the URL parser below.
    for (const origin of origins) {
      if (url.startsWith(origin)) {
        const next = url.charCodeAt(origin.length);
        if (Number.isNaN(next) || next === 47 || next === 63 || next === 35) return true;
      }
    }
  }
  const origin = originOf(url);
  // A manager has a handful of origins: a set would cost more memory than it saves time.
  return origin !== undefined && origins.includes(origin);
}

/** A flat copy of `text`: a property name is interned, and owns its characters. */
function flat(text: string): string {
  return Object.keys({ [text]: 0 })[0] as string;
}
