// What the axios adapter reads off a response and error: where a redirect went, and what to keep out of view.
import type { AxiosError, AxiosResponse, InternalAxiosRequestConfig } from 'axios';

// The absolute URL axios will request (its buildFullPath), without getUri()'s second config merge
// (bench 1b, callgrind axios: getUri in the request hooks costs ~10 % of a whole request).
export function urlOf(config: InternalAxiosRequestConfig): string {
  const url = config.url ?? '';
  const base = config.baseURL;
  const absolute = /^([a-z][a-z\d+\-.]*:)?\/\//i.test(url);
  if (!base || (absolute && config.allowAbsoluteUrls !== false)) return url;
  return url ? `${base.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : base;
}

/** Where `adapter: 'fetch'` responses came from after a redirect (axios keeps only the Request). */
const redirected = new WeakMap<object, string>();
const wrappers = new WeakMap<typeof fetch, typeof fetch>();

/** A fetch that notes where a redirected response came from: one wrapper per fetch (axios caches by it). */
export function trackingFetch(inner: typeof fetch = globalThis.fetch): typeof fetch {
  const wrapper =
    wrappers.get(inner) ??
    (async (input: string | URL | Request, init?: RequestInit) => {
      const response = await inner(input, init);
      if (response.redirected && typeof input === 'object') redirected.set(input, response.url);
      return response;
    });
  wrappers.set(inner, wrapper as typeof fetch);
  return wrapper as typeof fetch;
}

/** The URL that answered, after redirects: node http (follow-redirects), XHR, or `trackingFetch`. */
export function answeredUrl(response: AxiosResponse): string | undefined {
  const request = response.request as { res?: { responseUrl?: unknown }; responseURL?: unknown };
  const url = request?.res?.responseUrl ?? request?.responseURL ?? redirected.get(request ?? {});
  return typeof url === 'string' ? url : undefined;
}

/** The raw request holds the header bytes, and a stream body points back at it: kept, unlisted. */
export function hideRaw(error: AxiosError, oneShotBody: boolean): void {
  const holders: [object | undefined, string][] = [
    [error, 'request'],
    [error.response, 'request'],
  ];
  if (oneShotBody) holders.push([error.config, 'data']);
  for (const [holder, key] of holders) {
    if (holder && key in holder) {
      Object.defineProperty(holder, key, { enumerable: false, value: Reflect.get(holder, key) });
    }
  }
}
