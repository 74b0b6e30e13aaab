// What the axios adapter reads from and adds to a request config.
import type { AuthorizeOptions, TokenManager } from '@authwire/core';
import type { InternalAxiosRequestConfig } from 'axios';

// A string key: older axios 1.x merges only string keys into the retried request's config.
export const RETRIED = '__authwireRetried';
export type Config = InternalAxiosRequestConfig & { [RETRIED]?: boolean };
type Redirect = NonNullable<InternalAxiosRequestConfig['beforeRedirect']>;

// axios' `timeout` only starts with the HTTP request; make it bound the token fetch too.
export function signalOf(config: Config): AuthorizeOptions {
  return {
    signal: config.signal instanceof AbortSignal ? config.signal : undefined,
    timeoutMs: config.timeout,
  };
}

// The absolute URL axios will request (its buildFullPath), without getUri()'s second config merge.
export function urlOf(config: Config): string {
  const url = config.url ?? '';
  const base = config.baseURL;
  const absolute = /^([a-z][a-z\d+\-.]*:)?\/\//i.test(url);
  const allowAbsolute = (config as { allowAbsoluteUrls?: boolean }).allowAbsoluteUrls !== false;
  if (!base || (absolute && allowAbsolute)) return url;
  return url ? `${base.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : base;
}

// follow-redirects keeps Authorization for subdomains, and never knows our extra headers.
// One function per withAuth, so a request without a redirect hook of its own allocates nothing.
export function stripOnRedirect(auth: TokenManager, names: ReadonlySet<string>): Redirect {
  return (options) => {
    const target = (options as { href?: string }).href;
    if (target !== undefined && auth.allows(target)) return;
    const headers = options.headers as Record<string, unknown>;
    for (const key of Object.keys(headers)) {
      if (names.has(key.toLowerCase())) delete headers[key];
    }
  };
}
