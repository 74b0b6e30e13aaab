// axios adapter: interceptors that map axios onto core's request seam (authorize, onResponse, strip, redact).
import type { TokenManager } from '@authwire/core';
import { isReplayable, requestAuth } from '@authwire/core/kit';
import type { AxiosError, AxiosInstance, InternalAxiosRequestConfig as Config } from 'axios';
import { answeredUrl, describe, hideRaw, trackingFetch } from './config.ts';

type Headers = Readonly<Record<string, string>>;
type Redirect = NonNullable<Config['beforeRedirect']>;

declare module 'axios' {
  interface AxiosRequestConfig {
    /** `false` sends this request without a token (e.g. a public endpoint); default `true`. */
    authwire?: boolean;
  }
}

/** The interceptor ids `withAuth` installed, by instance, for `ejectAuth`. */
const installed = new WeakMap<AxiosInstance, readonly number[]>();

/** Sets `headers` on the request, with `strip` before each redirect (after the caller's own hook). */
function attach(config: Config, headers: Headers | undefined, strip: Redirect): Config {
  if (!headers) return config;
  config.headers.set(headers);
  const { beforeRedirect: own, adapter, env } = config;
  config.beforeRedirect = own && own !== strip ? (...a) => strip(...a) ?? own(...a) : strip;
  // The fetch adapter keeps no trace of redirects: note where the response came from.
  if (adapter === 'fetch') config.env = { ...env, fetch: trackingFetch(env?.fetch) };
  return config;
}

// Two request interceptors; axios asks their public runWhen in turn, for one request, and runs
// one. A cached token: the synchronous one, so axios keeps its synchronous dispatch (bench 1b,
// callgrind axios: ratio 1.247 without, 1.020 with); it asks again as it runs, so a token
// invalidated in between is not sent. No cached token: the one that waits. The first answer
// serves the second: runWhen calls are synchronous and back to back.
let cached = false;
const waits = (config: Config) => config.authwire !== false && !cached;

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
  // follow-redirects keeps Authorization for subdomains, and never knows our extra headers.
  const strip: Redirect = ({ href, headers }) => seam.onRedirect(href, headers);
  const syncId = request.use((c) => attach(c, seam.cached(describe(c)), strip), null, {
    synchronous: true,
    runWhen: (c) => (cached = c.authwire !== false && seam.cached(describe(c)) !== undefined),
  });
  const asyncId = request.use(
    async (c) => attach(c, await seam.authorize(describe(c)), strip),
    null,
    { runWhen: waits },
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
  installed.set(instance, [syncId, asyncId, responseId]);
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
  const [syncId, asyncId, responseId] = installed.get(instance) ?? [];
  if (responseId === undefined) return;
  instance.interceptors.request.eject(syncId as number);
  instance.interceptors.request.eject(asyncId as number);
  instance.interceptors.response.eject(responseId);
  installed.delete(instance);
}
