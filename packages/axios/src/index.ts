// axios adapter: interceptors that map axios onto core's request seam (authorize, onResponse, strip, redact).
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
type Fetch = (
  input: Request | string | URL,
  init?: RequestInit & { [FOLLOW]?: Follow },
) => Promise<Response>;
type Follow = (send: Fetch, ...request: Parameters<Fetch>) => Promise<Response>;
/** Interceptor ids for `ejectAuth`, one short string (bench 4, "axios instance wrapped": 24 B, not 72). */
const installed = new WeakMap<AxiosInstance, string>();
/** Fetch adapter: the URL that answered each Request (axios keeps only the Request), and a
 * tracking fetch per fetch (axios caches its adapter by it, for good). */
const answered = new WeakMap<Request, string>();
const trackers = new WeakMap<Fetch, Fetch>();
const HIDDEN = { enumerable: false };

/** The request as the seam sees it (the config is the call; its timeout bounds the token wait). */
function describe(config: Config): OutgoingRequest {
  const { url: path = '', baseURL: base, method, headers, data: body, timeout: timeoutMs } = config;
  // axios' buildFullPath without getUri()'s config merge (bench 1b, callgrind axios: ~10 % of a request).
  const absolute = /^([a-z][a-z\d+\-.]*:)?\/\//i.test(path) && config.allowAbsoluteUrls !== false;
  const joined = base && path ? `${base.replace(/\/?\/$/, '')}/${path.replace(/^\/+/, '')}` : base;
  const url = (!absolute && joined) || path;
  const signal = config.signal instanceof AbortSignal ? config.signal : undefined;
  return { method: method?.toUpperCase(), url, headers, body, call: config, signal, timeoutMs };
}

/** The fetch adapter's fetch: notes which URL answered, and lets FOLLOW follow the redirects. */
function tracking(inner: Fetch = globalThis.fetch): Fetch {
  const tracker: Fetch =
    trackers.get(inner) ??
    (async (input, init) => {
      const mode = init?.redirect ?? (input as Request).redirect ?? 'follow';
      const follow = mode === 'follow' && init?.[FOLLOW];
      const response = await (follow ? follow(inner, input, init) : inner(input, init));
      if (input instanceof Request) answered.set(input, response.url);
      return response;
    });
  trackers.set(inner, tracker);
  return tracker;
}

/**
 * Makes `instance` send the manager's headers to its origins and heal a 401 once with a fresh
 * token; errors carry `[redacted]` instead. Calling it again replaces the manager; `authwire:
 * false` in a request's config sends that request without a token.
 *
 * @example
 * ```ts
 * const api = withAuth(axios.create({ baseURL: 'https://api.example.com' }), auth);
 * ```
 */
export function withAuth<T extends AxiosInstance>(instance: T, auth: TokenManager): T {
  ejectAuth(instance);
  const seam = requestAuth(auth);
  const { request, response } = instance.interceptors;
  // Before each redirect, then the caller's own: follow-redirects keeps Authorization for
  // subdomains, and never knows our other headers. Made with the first headers (bench 4, ~64 B).
  let strip: NonNullable<Config['beforeRedirect']> | undefined;
  // Always runs and asks the cache as it runs (an invalidated token is not sent); alone, it keeps
  // axios' synchronous dispatch (bench 1b, callgrind axios: ratio 1.247 without, 1.020 with).
  const attach = (c: Config, headers = c.authwire !== false && seam.cached(describe(c))) => {
    if (!headers) return c;
    c.headers.set(headers);
    strip ??= ({ href, headers }) => seam.onRedirect(href, headers);
    const own = c.beforeRedirect;
    c.beforeRedirect = own && own !== strip ? (...a) => strip?.(...a) ?? own(...a) : strip;
    // Fetch carries every header but Authorization along its redirects: the seam follows them.
    const leaks = seam.fetchWouldLeak(headers);
    if (leaks || c.adapter === 'fetch') c.env = { ...c.env, fetch: tracking(c.env?.fetch) };
    if (!leaks) return c;
    c.fetchOptions = Object.assign({ [FOLLOW]: sendFollowing.bind(null, seam) }, c.fetchOptions);
    return c;
  };
  // The waiting one runs only when no token is cached.
  const wait = async (c: Config) => attach(c, (await seam.authorize(describe(c))) ?? false);
  const cold = (c: Config) => c.authwire !== false && !seam.cached(describe(c));
  const syncId = request.use(attach, null, { synchronous: true });
  const waitId = request.use(wait, null, { runWhen: cold });
  const responseId = response.use(null, async (error: AxiosError) => {
    if (error?.isAxiosError !== true) throw error; // e.g. from another interceptor
    const { config, response: answer } = error;
    const raw = answer?.request; // node http (follow-redirects), XHR, or the tracking fetch
    const url = raw?.res?.responseUrl ?? raw?.responseURL ?? answered.get(raw ?? {});
    // The retry goes through the interceptors again, which attach the token this call fetched.
    if (config && answer && (await seam.onResponse(describe(config), { ...answer, url })))
      return instance.request({ ...config });
    seam.redact(config?.headers);
    // The raw request holds the header bytes, and a one-shot body points back at it: kept, unlisted.
    for (const o of [error, answer]) if (o?.request) Object.defineProperty(o, 'request', HIDDEN);
    if (config && !isReplayable(config.data)) Object.defineProperty(config, 'data', HIDDEN);
    throw error;
  });
  installed.set(instance, `${syncId} ${waitId} ${responseId}`);
  return instance;
}

/**
 * Removes the interceptors `withAuth` installed on `instance`; later requests carry no token.
 *
 * @example
 * ```ts
 * ejectAuth(api);
 * ```
 */
export function ejectAuth(instance: AxiosInstance): void {
  const ids = installed.get(instance)?.split(' ').map(Number) ?? [];
  const { request, response } = instance.interceptors;
  for (const [i, id] of ids.entries()) (i < 2 ? request : response).eject(id);
  installed.delete(instance);
}
