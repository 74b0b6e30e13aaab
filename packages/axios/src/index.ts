// axios adapter: interceptors that map axios onto core's request seam (authorize, retry, redact).
import type { TokenManager } from '@authwire/core';
import { isReplayable, type OutgoingRequest, requestAuth, sendFollowing } from '@authwire/core/kit';
import type { AxiosError, AxiosInstance, InternalAxiosRequestConfig as Config } from 'axios';

declare module 'axios' {
  interface AxiosRequestConfig {
    /** `false` sends this request without a token (e.g. a public endpoint); default `true`. */
    authwire?: boolean;
  }
}
/** In `fetchOptions` (axios copies it into fetch's init): the seam follows the redirects. */
const FOLLOW = Symbol('authwire.follow');
type Follow = (send: typeof fetch, ...request: Parameters<typeof fetch>) => Promise<Response>;
const installed = new WeakMap<AxiosInstance, number>(); // ejectAuth's ids: a number, not a string (bench 4, 24 B)
/** Fetch adapter: the URL that answered each Request; a tracker per fetch (axios caches by it). */
const answered = new WeakMap<Request, string>();
const trackers = new WeakMap<typeof fetch, typeof fetch>();
const HIDDEN = { enumerable: false };
// biome-ignore lint/suspicious/noControlCharactersInRegex: values AxiosHeaders.set keeps as they are
const AS_IS = /^(?![\t ])[^\x00-\x08\x0a-\x1f\x7f]*(?<![\t ])$/;
/** The request as the seam sees it (the config is the call; its timeout bounds the token wait). */
function describe(config: Config): OutgoingRequest {
  const { url: path = '', baseURL: base, method, headers, data: body, timeout: timeoutMs } = config;
  // axios' buildFullPath, without getUri()'s config merge (bench 1b, callgrind: ~10 % a request).
  const absolute = /^([a-z][a-z\d+\-.]*:)?\/\//i.test(path) && config.allowAbsoluteUrls !== false;
  const joined = base && path ? `${base.replace(/\/?\/$/, '')}/${path.replace(/^\/+/, '')}` : base;
  const url = (!absolute && joined) || path;
  const signal = config.signal instanceof AbortSignal ? config.signal : undefined;
  return { method: method?.toUpperCase(), url, headers, body, call: config, signal, timeoutMs };
}
/** The fetch adapter's fetch: notes which URL answered, and lets FOLLOW follow the redirects. */
function tracking(inner: typeof fetch = globalThis.fetch): typeof fetch {
  if (!trackers.has(inner))
    trackers.set(inner, async (input, init?: RequestInit & { [FOLLOW]?: Follow }) => {
      const response = await (init?.[FOLLOW]?.(inner, input, init) ?? inner(input, init));
      if (input instanceof Request && response.url !== input.url) answered.set(input, response.url);
      return response;
    });
  return trackers.get(inner) as typeof fetch;
}
/**
 * Makes `instance` send the manager's headers to its origins and heal a 401 once with a new token;
 * errors show `[redacted]` instead. A second call replaces the manager; `authwire: false` opts out.
 * @example
 * const api = withAuth(axios.create({ baseURL: 'https://api.example.com' }), auth);
 */
export function withAuth<T extends AxiosInstance>(instance: T, auth: TokenManager): T {
  ejectAuth(instance);
  const seam = requestAuth(auth);
  // Before each redirect, then the caller's own (follow-redirects strips too little): bench 4, lazy.
  let strip: NonNullable<Config['beforeRedirect']> | undefined;
  // Asks the cache as it runs: keeps axios' sync dispatch (bench 1b, callgrind axios: 1.247 → 1.020).
  const attach = (c: Config, headers = c.authwire !== false && seam.cached(describe(c))) => {
    if (!headers) return c;
    // As set() would, without it (bench 1b′, callgrind axios: own 21.1k → 12.2k instructions).
    for (const name in headers) {
      let taken = name === '__proto__' || !AS_IS.test(headers[name] as string); // set() alters it
      for (const key in c.headers) taken ||= key.toLowerCase() === name.toLowerCase(); // any case
      if (taken) c.headers.set(name, headers[name]);
      else c.headers[name] = headers[name];
    }
    strip ??= ({ href, headers }) => seam.onRedirect(href, headers);
    const own = c.beforeRedirect;
    c.beforeRedirect = own && own !== strip ? (...a) => strip?.(...a) ?? own(...a) : strip;
    const leaks = seam.fetchWouldLeak(headers); // fetch keeps all but Authorization on redirects
    if (leaks || c.adapter === 'fetch') c.env = { ...c.env, fetch: tracking(c.env?.fetch) };
    if (!leaks) return c;
    c.fetchOptions = Object.assign({ [FOLLOW]: sendFollowing.bind(null, seam) }, c.fetchOptions);
    return c;
  };
  const wait = async (c: Config) => attach(c, (await seam.authorize(describe(c))) ?? false);
  const cold = (c: Config) => c.authwire !== false && !seam.cached(describe(c));
  const syncId = instance.interceptors.request.use(attach, null, { synchronous: true });
  instance.interceptors.request.use(wait, null, { runWhen: cold });
  const responseId = instance.interceptors.response.use(null, async (error: AxiosError) => {
    if (error?.isAxiosError !== true) throw error; // e.g. from another interceptor
    const { config, response: answer, request: raw } = error; // node http, XHR or fetch Request
    const url = raw?.res?.responseUrl ?? raw?.responseURL ?? answered.get(raw ?? {});
    if (config && answer && (await seam.onResponse(describe(config), { ...answer, url })))
      return instance.request({ ...config }); // through the interceptors: the fresh token
    seam.redact(config?.headers);
    // The raw request holds the header bytes; a one-shot body points back at it: kept, unlisted.
    for (const o of [error, answer]) if (o?.request) Object.defineProperty(o, 'request', HIDDEN);
    if (config && !isReplayable(config.data)) Object.defineProperty(config, 'data', HIDDEN);
    throw error;
  });
  installed.set(instance, syncId + responseId * 2 ** 26); // ids count up from 0; the waiting one's is syncId + 1
  return instance;
}
/**
 * Removes the interceptors `withAuth` installed on `instance`; later requests carry no token.
 * @example
 * ejectAuth(api);
 */
export function ejectAuth(instance: AxiosInstance): void {
  const ids = installed.get(instance) ?? Number.NaN; // none installed: NaN ejects nothing
  for (const id of [ids % 2 ** 26, (ids % 2 ** 26) + 1]) instance.interceptors.request.eject(id);
  instance.interceptors.response.eject(Math.floor(ids / 2 ** 26)); // ejected twice: a no-op
}
