// axios adapter: interceptors that attach the manager's headers and heal one 401 per request.
import {
  type Authorization,
  assertTokenManager,
  isReplayableBody,
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

/** What `withAuth` attached: what the request carried (never copied into configs, so never logged). */
const sent = new WeakMap<object, Authorization>();
const installed = new WeakMap<AxiosInstance, { request: number[]; response: number }>();

const isAxiosError = (value: unknown): value is AxiosError =>
  (value as { isAxiosError?: unknown } | null)?.isAxiosError === true;

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
  const attach = (config: Config, authorization: Authorization | undefined): Config => {
    if (!authorization) return config;
    for (const [name, value] of Object.entries(authorization.headers)) {
      config.headers.set(name, value);
    }
    sent.set(config, authorization);
    config.beforeRedirect = stripOnRedirect(auth, authorization.headers, config.beforeRedirect);
    return config;
  };
  // Nothing to wait for: no token wanted, or one is cached. Decided before any interceptor runs.
  const ready = (config: Config): boolean => {
    if (config.authwire === false) return true;
    const url = urlOf(config);
    return !auth.allows(url) || auth.peek(url) !== undefined;
  };
  // Two interceptors, exactly one of which runs: the synchronous one keeps axios' synchronous
  // dispatch (no promise hop per request) when the token is cached.
  const now = instance.interceptors.request.use(
    (config: Config) => {
      if (config.authwire === false) return config;
      const url = urlOf(config);
      // A later-registered interceptor may have changed the URL since `ready` looked.
      return attach(config, auth.peek(url));
    },
    undefined,
    { synchronous: true, runWhen: ready },
  );
  const later = instance.interceptors.request.use(
    async (config: Config) => {
      if (config.authwire === false) return config;
      const url = urlOf(config);
      if (!auth.allows(url)) return config;
      return attach(config, await auth.authorize(url, signalOf(config)));
    },
    undefined,
    { runWhen: (config: Config) => !ready(config) },
  );
  const response = instance.interceptors.response.use(undefined, async (error: unknown) => {
    if (!isAxiosError(error)) throw error;
    const config = error.config as Config | undefined;
    const authorization = config && sent.get(config);
    if (
      error.response?.status !== 401 ||
      !config ||
      !authorization ||
      config[RETRIED] ||
      !isReplayableBody(config.data)
    ) {
      throw redact(error, authorization);
    }
    const url = urlOf(config);
    // The retry goes through the interceptors again, which attach the token this call fetched.
    if (!(await auth.reauthorize(url, authorization.token, signalOf(config)))) {
      throw redact(error, authorization);
    }
    const retry: Config = { ...config, [RETRIED]: true };
    return instance.request<unknown, AxiosResponse>(retry);
  });
  installed.set(instance, { request: [now, later], response });
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
  for (const id of ids.request) instance.interceptors.request.eject(id);
  instance.interceptors.response.eject(ids.response);
  installed.delete(instance);
}
