// What the adapter reads off axios: the request a config describes, the URL that answered, what to hide.
import type { OutgoingRequest } from '@authwire/core/kit';
import type { AxiosError, AxiosResponse, InternalAxiosRequestConfig as Config } from 'axios';

/**
 * The request as the seam sees it. The config is the call: axios copies it, with the seam's mark,
 * for the retry. Its timeout starts only with the HTTP request: it bounds the token wait too.
 */
export function describe(config: Config): OutgoingRequest {
  const { method, headers, data: body, timeout: timeoutMs } = config;
  const url = urlOf(config);
  const signal = config.signal instanceof AbortSignal ? config.signal : undefined;
  return { method: method?.toUpperCase(), url, headers, body, call: config, signal, timeoutMs };
}

// The URL axios requests (its buildFullPath), without getUri()'s second config merge (bench 1b,
// callgrind axios: getUri in the request hooks costs ~10 % of a whole request).
function urlOf({ url = '', baseURL: base, allowAbsoluteUrls }: Config): string {
  const absolute = /^([a-z][a-z\d+\-.]*:)?\/\//i.test(url) && allowAbsoluteUrls !== false;
  if (!base || absolute) return url;
  return url ? `${base.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : base;
}

/** Where `adapter: 'fetch'` responses came from after a redirect (axios keeps only the Request). */
const redirected = new WeakMap<object, string>();
const trackers = new WeakMap<typeof fetch, typeof fetch>();

/** `env.fetch`, noting where a redirected response came from: one per fetch (axios caches by it). */
export function trackingFetch(inner: typeof fetch = globalThis.fetch): typeof fetch {
  let tracker = trackers.get(inner);
  if (tracker) return tracker;
  tracker = (async (input: string | URL | Request, init?: RequestInit) => {
    const response = await inner(input, init);
    if (response.redirected && typeof input === 'object') redirected.set(input, response.url);
    return response;
  }) as typeof fetch;
  trackers.set(inner, tracker);
  return tracker;
}

/** The URL that answered, after redirects: node http (follow-redirects), XHR, or `trackingFetch`. */
export function answeredUrl({ request }: AxiosResponse): string | undefined {
  const url = request?.res?.responseUrl ?? request?.responseURL ?? redirected.get(request ?? {});
  return typeof url === 'string' ? url : undefined;
}

/** The raw request holds the header bytes, and a stream body points back at it: kept, unlisted. */
export function hideRaw(error: AxiosError, oneShotBody: boolean): void {
  const hide = (holder: object | undefined, key: string) =>
    holder && key in holder && Object.defineProperty(holder, key, { enumerable: false });
  hide(error, 'request');
  hide(error.response, 'request');
  if (oneShotBody) hide(error.config, 'data');
}
