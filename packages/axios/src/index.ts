// axios adapter: interceptors that map axios onto core's request seam (attach, heal one 401, strip, redact).
import type { TokenManager } from '@authwire/core';
import { type Authorization, isReplayableBody, requestAuth } from '@authwire/core/kit';
import type { AxiosError, AxiosInstance, AxiosResponse } from 'axios';
import {
  answeredUrl,
  type Config,
  stripOnRedirect,
  trackingFetch,
  urlOf,
  waitOf,
} from './config.ts';
import { redact } from './redact.ts';

declare module 'axios' {
  interface AxiosRequestConfig {
    /** `false` sends this request without a token (e.g. a public endpoint); default `true`. */
    authwire?: boolean;
  }
}

/** The ids `withAuth` got: the two request interceptors, then the response one. */
const installed = new WeakMap<AxiosInstance, [number, number, number]>();

/**
 * Makes `instance` (an `axios.create()` instance or the default `axios`) send the manager's
 * headers to the manager's origins, and retry a 401 once with a fresh token. Errors reaching
 * the caller carry `[redacted]` instead of the token. Calling it again replaces the manager.
 *
 * Pass `authwire: false` in a request's config to send it without a token. A request whose
 * `data` is a stream is not retried: its 401 reaches the caller.
 *
 * @example
 * ```ts
 * const api = withAuth(axios.create({ baseURL: 'https://api.example.com' }), auth);
 * const { data } = await api.get('/orders');
 * await api.get('/health', { authwire: false });
 * ```
 */
export function withAuth<T extends AxiosInstance>(instance: T, auth: TokenManager): T {
  const seam = requestAuth(auth);
  ejectAuth(instance);
  const strip = stripOnRedirect(seam);
  // Only for `adapter: 'fetch'`: where redirected responses came from (made on first use).
  let fetched: WeakMap<object, string> | undefined;
  let tracking: ReturnType<typeof trackingFetch> | undefined;
  const attach = (config: Config, authorization: Authorization | undefined): Config => {
    if (!authorization) return config;
    config.headers.set(authorization.headers);
    const user = config.beforeRedirect;
    if (user !== strip) {
      // Ours first, then the request's own hook.
      config.beforeRedirect = user
        ? (options, details, request) => {
            strip(options, details, request);
            user(options, details, request);
          }
        : strip;
    }
    // The fetch adapter keeps no trace of redirects: note where the response came from.
    if (config.adapter === 'fetch') {
      fetched ??= new WeakMap();
      tracking ??= trackingFetch(fetched);
      config.env = { ...config.env, fetch: tracking(config.env?.fetch) };
    }
    return config;
  };
  const wait = async (config: Config): Promise<Config> => {
    if (config.authwire === false) return config;
    return attach(config, await seam.headers(urlOf(config), waitOf(config)));
  };
  // Two request interceptors, exactly one of which runs. With a token cached, the synchronous one
  // keeps axios' synchronous dispatch; otherwise the other one waits for the token. axios asks
  // both `runWhen`s, in this order, before it runs any interceptor.
  let ready = false;
  const [anyOrigin] = auth.origins as [string];
  const now = instance.interceptors.request.use(
    (config: Config) => {
      if (config.authwire === false) return config;
      // The URL as it is now: an interceptor registered later may have changed it.
      const url = urlOf(config);
      const cached = seam.peek(url);
      if (cached) return attach(config, cached);
      // Only a token that expired since `runWhen` (or a closed manager) waits here.
      return seam.allows(url) ? wait(config) : config;
    },
    undefined,
    {
      synchronous: true,
      runWhen(config: Config) {
        ready = config.authwire === false || seam.peek(anyOrigin) !== undefined;
        return ready;
      },
    },
  );
  const later = instance.interceptors.request.use(wait, undefined, { runWhen: () => !ready });
  const response = instance.interceptors.response.use(undefined, async (error: AxiosError) => {
    // Anything but an AxiosError (e.g. from another interceptor) passes through.
    if (error?.isAxiosError !== true) throw error;
    const config = error.config as Config | undefined;
    if (!config || !error.response || !seam.mayRetry(error.response.status)) {
      throw redact(error, seam);
    }
    const decision = seam.retry(
      config,
      {
        authorization: config.headers.get('Authorization'),
        url: urlOf(config),
        replayable: isReplayableBody(config.data),
      },
      { status: error.response.status, url: answeredUrl(error.response, fetched) },
      waitOf(config),
    );
    // The retry goes through the interceptors again, which attach the token this call fetched.
    if (!decision || !(await decision)) throw redact(error, seam);
    const retry: Config = { ...config };
    seam.markRetried(retry);
    return instance.request<unknown, AxiosResponse>(retry);
  });
  installed.set(instance, [now, later, response]);
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
  const ids = installed.get(instance);
  if (!ids) return;
  instance.interceptors.request.eject(ids[0]);
  instance.interceptors.request.eject(ids[1]);
  instance.interceptors.response.eject(ids[2]);
  installed.delete(instance);
}
