// axios adapter: interceptors that attach the manager's headers and heal one 401 per request.
import {
  type Authorization,
  assertTokenManager,
  isReplayableBody,
  sentHeaders,
  type TokenManager,
} from '@authwire/core';
import type { AxiosError, AxiosInstance, AxiosResponse } from 'axios';
import { type Config, RETRIED, signalOf, stripOnRedirect, urlOf } from './config.ts';
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
  assertTokenManager(auth);
  ejectAuth(instance);
  const sent = sentHeaders();
  const strip = stripOnRedirect(auth, sent.names);
  const attach = (config: Config, authorization: Authorization | undefined): Config => {
    if (!authorization) return config;
    sent.remember(authorization);
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
    return config;
  };
  const wait = async (config: Config): Promise<Config> => {
    if (config.authwire === false) return config;
    const url = urlOf(config);
    if (!auth.allows(url)) return config;
    return attach(config, await auth.authorize(url, signalOf(config)));
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
      const fresh = auth.peek(url);
      if (fresh) return attach(config, fresh);
      // Only a token that expired since `runWhen` (or a closed manager) waits here.
      return auth.allows(url) ? wait(config) : config;
    },
    undefined,
    {
      synchronous: true,
      runWhen(config: Config) {
        ready = config.authwire === false || auth.peek(anyOrigin) !== undefined;
        return ready;
      },
    },
  );
  const later = instance.interceptors.request.use(wait, undefined, { runWhen: () => !ready });
  const response = instance.interceptors.response.use(undefined, async (error: AxiosError) => {
    // Anything but an AxiosError (e.g. from another interceptor) passes through.
    if (error?.isAxiosError !== true) throw error;
    const config = error.config as Config | undefined;
    const authorization = sent.find(config?.headers.get('Authorization'));
    if (
      error.response?.status !== 401 ||
      !config ||
      !authorization ||
      config[RETRIED] ||
      !isReplayableBody(config.data)
    ) {
      throw redact(error, sent.names);
    }
    const url = urlOf(config);
    // The retry goes through the interceptors again, which attach the token this call fetched.
    if (!(await auth.reauthorize(url, authorization.token, signalOf(config)))) {
      throw redact(error, sent.names);
    }
    const retry: Config = { ...config, [RETRIED]: true };
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
