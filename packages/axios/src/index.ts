// axios adapter: interceptors that map axios onto core's request seam (authorize, onResponse, strip, redact).
import type { TokenManager } from '@authwire/core';
import { isReplayable, type RequestAuth, requestAuth } from '@authwire/core/kit';
import type { AxiosError, AxiosInstance, InternalAxiosRequestConfig as Config } from 'axios';
import { answeredUrl, describe, hideRaw, viaFetch } from './config.ts';

type Headers = Readonly<Record<string, string>>;
type Redirect = NonNullable<Config['beforeRedirect']>;

declare module 'axios' {
  interface AxiosRequestConfig {
    /** `false` sends this request without a token (e.g. a public endpoint); default `true`. */
    authwire?: boolean;
  }
}

/**
 * The interceptor ids `withAuth` installed, by instance, for `ejectAuth`: `request request response`
 * in one short string, not an array (bench 4, "axios instance wrapped": 24 B instead of 72 B).
 */
const installed = new WeakMap<AxiosInstance, string>();

/** Sets `headers` on the request, with `strip` before each redirect (after the caller's own hook). */
function attach(config: Config, headers: Headers | undefined, seam: RequestAuth, strip: Redirect) {
  if (!headers) return config;
  config.headers.set(headers);
  const { beforeRedirect: own } = config;
  config.beforeRedirect = own && own !== strip ? (...a) => strip(...a) ?? own(...a) : strip;
  viaFetch(config, seam, headers);
  return config;
}

// Two request interceptors. The synchronous one always runs and sets the cached token's headers,
// asking as it runs, so a token invalidated before is not sent; alone (a token is cached), it
// keeps axios' synchronous dispatch (bench 1b, callgrind axios: ratio 1.247 without, 1.020 with).
// The one that waits runs only when no token is cached: its runWhen asks first.

/**
 * Makes `instance` send the manager's headers to the manager's origins, and retry a 401 once with
 * a fresh token. Errors reaching the caller carry `[redacted]` instead of the token. Calling it
 * again replaces the manager. `authwire: false` in a request's config sends it without a token.
 *
 * @example
 * ```ts
 * const api = withAuth(axios.create({ baseURL: 'https://api.example.com' }), auth);
 * const { data } = await api.get('/orders');
 * ```
 */
export function withAuth<T extends AxiosInstance>(instance: T, auth: TokenManager): T {
  ejectAuth(instance);
  const seam = requestAuth(auth);
  const { request, response } = instance.interceptors;
  // Before each redirect: follow-redirects keeps Authorization for subdomains, and never knows our
  // extra headers. Made with the first headers sent (bench 4, "axios instance wrapped": ~64 B).
  let strip: Redirect | undefined;
  const syncId = request.use(
    (c) => {
      if (c.authwire === false) return c;
      strip ??= ({ href, headers }) => seam.onRedirect(href, headers);
      return attach(c, seam.cached(describe(c)), seam, strip);
    },
    null,
    { synchronous: true },
  );
  const asyncId = request.use(
    async (c) => {
      const headers = await seam.authorize(describe(c));
      strip ??= ({ href, headers }) => seam.onRedirect(href, headers);
      return attach(c, headers, seam, strip);
    },
    null,
    { runWhen: (c) => c.authwire !== false && seam.cached(describe(c)) === undefined },
  );
  const responseId = response.use(null, async (error: AxiosError) => {
    // Anything but an AxiosError (e.g. from another interceptor) passes through.
    if (error?.isAxiosError !== true) throw error;
    const { config, response: answer } = error;
    const answered = answer && { ...answer, url: answeredUrl(answer) };
    // The retry goes through the interceptors again, which attach the token this call fetched.
    if (config && answered && (await seam.onResponse(describe(config), answered)))
      return instance.request({ ...config });
    seam.redact(config?.headers);
    hideRaw(error, !isReplayable(config?.data));
    throw error;
  });
  installed.set(instance, `${syncId} ${asyncId} ${responseId}`);
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
  const ids = installed.get(instance)?.split(' ').map(Number);
  if (ids === undefined) return;
  const [syncId, asyncId, responseId] = ids as [number, number, number];
  instance.interceptors.request.eject(syncId);
  instance.interceptors.request.eject(asyncId);
  instance.interceptors.response.eject(responseId);
  installed.delete(instance);
}
