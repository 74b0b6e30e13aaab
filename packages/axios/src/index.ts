// axios adapter: interceptors that attach the manager's headers and heal one 401 per request.
import {
  type Authorization,
  assertTokenManager,
  isReplayableBody,
  sentHeaders,
  type TokenManager,
} from '@authwire/core';
import type { AxiosError, AxiosInstance, AxiosResponse } from 'axios';
import { type Config, chainRedirect, RETRIED, signalOf, stripOnRedirect, urlOf } from './config.ts';
import { redact } from './redact.ts';

declare module 'axios' {
  interface AxiosRequestConfig {
    /** `false` sends this request without a token (e.g. a public endpoint); default `true`. */
    authwire?: boolean;
  }
}

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
  const sent = sentHeaders();
  const strip = stripOnRedirect(auth, sent.names);
  const attach = (config: Config, authorization: Authorization | undefined): Config => {
    if (!authorization) return config;
    sent.remember(authorization);
    const { headers } = authorization;
    for (const name in headers) config.headers.set(name, headers[name]);
    const user = config.beforeRedirect;
    if (user !== strip) config.beforeRedirect = user ? chainRedirect(strip, user) : strip;
    return config;
  };
  const wait = async (config: Config): Promise<Config> => {
    if (config.authwire === false) return config;
    const url = urlOf(config);
    if (!auth.allows(url)) return config;
    return attach(config, await auth.authorize(url, signalOf(config)));
  };
  // Two request interceptors, exactly one of which runs. With a token cached, the synchronous one
  // keeps axios' synchronous dispatch; otherwise the other one waits for the token. The decision
  // is made once per request, when axios asks the first one whether to run (`decide`).
  let ready = false;
  // The request `decide` looked at, its URL fields, and what it found (none: not allowed).
  let seen: Config | undefined;
  let seenUrl: string | undefined;
  let seenBase: string | undefined;
  let found: Authorization | undefined;
  const decide = (config: Config): boolean => {
    seen = config;
    if (config.authwire === false) {
      ready = true;
      return ready;
    }
    seenUrl = config.url;
    seenBase = config.baseURL;
    const url = urlOf(config);
    found = auth.peek(url);
    ready = found !== undefined || !auth.allows(url);
    return ready;
  };
  const now = instance.interceptors.request.use(
    (config: Config) => {
      if (config.authwire === false) return config;
      // Reuse the decision unless a later-registered interceptor changed the request since, or
      // an asynchronous one held it until the token expired.
      if (
        config === seen &&
        config.url === seenUrl &&
        config.baseURL === seenBase &&
        (!found || found.token.expiresAt > Date.now())
      ) {
        seen = undefined;
        return attach(config, found);
      }
      const url = urlOf(config);
      if (!auth.allows(url)) return config;
      const fresh = auth.peek(url);
      return fresh ? attach(config, fresh) : wait(config);
    },
    undefined,
    { synchronous: true, runWhen: decide },
  );
  const later = instance.interceptors.request.use(wait, undefined, { runWhen: () => !ready });
  const response = instance.interceptors.response.use(undefined, async (error: unknown) => {
    if (!isAxiosError(error)) throw error;
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
