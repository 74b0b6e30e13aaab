// Which URLs may receive a token or a secret: HTTPS (loopback excepted), a manager's allowed origins, and URLs as they may appear in messages.
import { InsecureUrlError, InvalidOptionsError } from '../errors/errors.ts';

/**
 * Whether `hostname` is loopback without asking a resolver: `localhost`, 127.0.0.0/8 and `::1`.
 * `*.localhost` is not: RFC 6761 lets resolvers answer it, but the system resolver (a hosts file,
 * a corporate DNS) may map it anywhere, so it gets no exemption from HTTPS.
 *
 * @example
 * ```ts
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('dev.localhost'); // false
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  return (
    host === 'localhost' ||
    host === '::1' ||
    host === '0:0:0:0:0:0:0:1' ||
    /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(host)
  );
}

/**
 * Parses `value` as an absolute URL and requires https, or http on loopback; no credentials in it.
 * `what` names the option in errors, which never echo more than origin and path.
 *
 * @example
 * ```ts
 * const tokenUrl = secureUrl(options.tokenUrl, 'tokenUrl'); // https, or http on loopback
 * ```
 */
export function secureUrl(value: unknown, what: string): URL {
  if (!(value instanceof URL) && (typeof value !== 'string' || value.trim() === '')) {
    throw new InvalidOptionsError(what, `${what} must be a non-empty URL string`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidOptionsError(what, `${what} is not a valid absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidOptionsError(what, `${what} must be an http(s) URL, got ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new InvalidOptionsError(what, `${what} must not contain credentials`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new InsecureUrlError(what, endpointLabel(url));
  }
  return url;
}

/** `url` as a URL, or undefined when it is not an absolute URL. */
function parse(url: URL | string): URL | undefined {
  try {
    return typeof url === 'string' ? new URL(url) : url;
  } catch {
    return undefined;
  }
}

/** A URL as it may appear in messages: no credentials, no query, no fragment. */
export function endpointLabel(url: URL | string): string {
  const parsed = parse(url);
  return parsed ? `${parsed.origin}${parsed.pathname}` : '(invalid URL)';
}

/**
 * A readable name for a provider: `<name> <host[:port]><path>`, e.g.
 * `client-credentials id.example.com/oauth2/token`. Never a scheme, credentials, query or fragment.
 *
 * @example
 * ```ts
 * labelOf('acme', 'https://id.acme.com/oauth/token?x=1'); // 'acme id.acme.com/oauth/token'
 * ```
 */
export function labelOf(name: string, url: URL | string): string {
  const parsed = parse(url);
  return parsed ? `${name} ${parsed.host}${parsed.pathname}` : name;
}

/** The origin of `url`, or undefined when it is not an absolute URL. */
export function originOf(url: string | URL): string | undefined {
  return parse(url)?.origin;
}

/** Normalised origins (`scheme://host[:port]`), without duplicates, each checked like `secureUrl`, frozen. */
export function allowedOrigins(origins: readonly (string | URL)[]): readonly string[] {
  // Kept as given when already normal (bench 4, "manager + token": a parsed origin is a rope of three strings).
  const normal = origins.map((given) => {
    const origin = secureUrl(given, 'origins').origin;
    return origin === given ? given : origin;
  });
  const asGiven = normal.every(
    (origin, i) => origin === origins[i] && normal.indexOf(origin) === i,
  );
  return asGiven && Object.isFrozen(origins)
    ? (origins as string[])
    : Object.freeze([...new Set(normal)]);
}

/** Whether `url`'s origin is one of `origins` (from `allowedOrigins`). */
export function isAllowedOrigin(origins: readonly string[], url: string | URL): boolean {
  if (typeof url === 'string') {
    // Fast path (bench 1b, callgrind instructions per request): an allowed origin followed by a
    // path, query, fragment or nothing. Anything else (userinfo, ports, case, look-alike hosts)
    // goes through the URL parser below.
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
