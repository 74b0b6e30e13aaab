// What the adapter reads off axios: the request a config describes, the URL that answered, what to hide;
// and the fetch adapter's fetch, for the redirects fetch would follow with a token header.
import { type OutgoingRequest, type RequestAuth, sendFollowing } from '@authwire/core/kit';
import type { AxiosError, AxiosResponse, InternalAxiosRequestConfig as Config } from 'axios';

type Headers = Readonly<Record<string, string>>;

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
/** In `fetchOptions` (axios copies it into fetch's init): follows the redirects through the seam. */
const FOLLOW = Symbol('authwire.follow');
type Follow = (send: typeof fetch, input: string | URL | Request, init?: Init) => Promise<Response>;
type Init = RequestInit & { [FOLLOW]?: Follow };

/**
 * The fetch adapter's `env.fetch` for a request carrying `headers`: where the response came from
 * is noted, and when fetch would carry `headers` to another origin (core's `fetchWouldLeak`),
 * the seam follows the redirects. Also set without the fetch adapter: none other reads them.
 */
export function viaFetch(config: Config, seam: RequestAuth, headers: Headers): void {
  const leaks = seam.fetchWouldLeak(headers);
  if (!leaks && config.adapter !== 'fetch') return;
  config.env = { ...config.env, fetch: trackingFetch(config.env?.fetch) };
  if (!leaks) return;
  // A function, not the seam: error.config shows it, and the manager stays out of sight.
  const follow: Follow = (send, input, init) =>
    sendFollowing(seam, (next) => send(next), input, init);
  config.fetchOptions = Object.assign({ [FOLLOW]: follow }, config.fetchOptions);
}

/** One per fetch (axios caches its adapter by it, for good). */
function trackingFetch(inner: typeof fetch = globalThis.fetch): typeof fetch {
  let tracker = trackers.get(inner);
  if (tracker) return tracker;
  tracker = (async (input: string | URL | Request, init?: Init) => {
    const follow = init?.[FOLLOW];
    const mode = init?.redirect ?? (input instanceof Request ? input.redirect : 'follow');
    const response =
      follow && mode === 'follow' ? await follow(inner, input, init) : await inner(input, init);
    const url = input instanceof Request ? input.url : undefined;
    if (url && response.url && response.url !== url) redirected.set(input as Request, response.url);
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
