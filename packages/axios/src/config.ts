// What the axios adapter reads from and adds to a request config: translation only.
import type { AuthorizeOptions, RequestAuth } from '@authwire/core/kit';
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';

export type Config = InternalAxiosRequestConfig;
type Redirect = NonNullable<InternalAxiosRequestConfig['beforeRedirect']>;

// axios' `timeout` only starts with the HTTP request; make it bound the token fetch too.
export function waitOf(config: Config): AuthorizeOptions {
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

/** The URL that answered, after redirects, where axios tells: node http (follow-redirects), XHR, or our fetch wrapper. */
export function answeredUrl(
  response: AxiosResponse,
  fetched: WeakMap<object, string> | undefined,
): string | undefined {
  const request = response.request as
    | { res?: { responseUrl?: unknown }; responseURL?: unknown }
    | undefined;
  const url =
    request?.res?.responseUrl ?? request?.responseURL ?? (request && fetched?.get(request));
  return typeof url === 'string' && url !== '' ? url : undefined;
}

/**
 * For `adapter: 'fetch'`: a fetch that notes where a redirected response came from (axios keeps
 * only the Request it sent). One wrapper per fetch, so axios' per-fetch adapter cache stays small.
 */
export function trackingFetch(fetched: WeakMap<object, string>) {
  const wrappers = new WeakMap<typeof fetch, typeof fetch>();
  return (inner: typeof fetch = globalThis.fetch): typeof fetch => {
    let wrapper = wrappers.get(inner);
    if (!wrapper) {
      wrapper = (async (input: string | URL | Request, init?: RequestInit) => {
        const response = await inner(input, init);
        if (response.redirected && typeof input === 'object') fetched.set(input, response.url);
        return response;
      }) as typeof fetch;
      wrappers.set(inner, wrapper);
    }
    return wrapper;
  };
}

// follow-redirects keeps Authorization for subdomains, and never knows our extra headers.
export function stripOnRedirect(seam: RequestAuth): Redirect {
  return (options) => {
    const names = seam.stripOnRedirect((options as { href?: string }).href);
    if (names.size === 0) return;
    const headers = options.headers as Record<string, unknown>;
    for (const key of Object.keys(headers)) {
      if (names.has(key.toLowerCase())) delete headers[key];
    }
  };
}
