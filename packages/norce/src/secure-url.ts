// Parses a URL option and enforces HTTPS (http only for loopback hosts).
import { InsecureUrlError, InvalidOptionsError, isLoopbackHost } from '@authwire/core';

/**
 * Parses `value` as an absolute http(s) URL for option `option`. Throws `InvalidOptionsError`
 * when it is not a string, malformed, not http(s), or carries credentials; `InsecureUrlError`
 * when it is plain http to a non-loopback host.
 */
export function parseSecureUrl(option: string, value: unknown): URL {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidOptionsError(option, `${option} must be a non-empty URL string`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidOptionsError(option, `${option} is not a valid absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidOptionsError(option, `${option} must be an http(s) URL, got ${url.protocol}`);
  }
  // Never echo the URL here: its user-info part may hold a password.
  if (url.username !== '' || url.password !== '') {
    throw new InvalidOptionsError(option, `${option} must not contain credentials`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    // Origin and path only: a query string may carry something sensitive.
    throw new InsecureUrlError(option, `${url.origin}${url.pathname}`);
  }
  return url;
}
