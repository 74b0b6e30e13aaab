// Which origins may receive a manager's token: a fast string check for the common case, the URL parser otherwise.
import { originOf, secureOrigins } from './url.ts';

export class OriginSet {
  /** Normalised origins (`scheme://host[:port]`), each HTTPS or loopback http. */
  readonly list: readonly string[];

  constructor(origins: readonly (string | URL)[]) {
    this.list = Object.freeze(secureOrigins(origins, 'origins'));
  }

  allows(url: string | URL): boolean {
    if (typeof url === 'string') {
      // Fast path: an allowed origin followed by a path, query, fragment or nothing. Anything
      // else (userinfo, ports, case, look-alike hosts) goes through the URL parser below.
      for (const origin of this.list) {
        if (url.startsWith(origin)) {
          const next = url.charCodeAt(origin.length);
          if (Number.isNaN(next) || next === 47 || next === 63 || next === 35) return true;
        }
      }
    }
    const origin = originOf(url);
    // A manager has a handful of origins: a set would cost more memory than it saves time.
    return origin !== undefined && this.list.includes(origin);
  }
}
