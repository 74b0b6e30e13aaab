// axios adapter: interceptors that attach the manager's headers and heal one 401 per request.
import {
  type Authorization,
  type AuthorizeOptions,
  isReplayableBody,
  REDACTED,
  type TokenManager,
} from '@authwire/core';
import type { AxiosError, AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios';

declare module 'axios' {
  interface AxiosRequestConfig {
    /** `false` sends this request without a token (e.g. a public endpoint); default `true`. */
    authwire?: boolean;
  }
}

// A string key: older axios 1.x merges only string keys into the retried request's config.
const RETRIED = '__authwireRetried';
type Config = InternalAxiosRequestConfig & { [RETRIED]?: boolean };
type Redirect = NonNullable<InternalAxiosRequestConfig['beforeRedirect']>;

/** What `withAuth` attached: what the request carried (never copied into configs, so never logged). */
const sent = new WeakMap<object, Authorization>();
const installed = new WeakMap<AxiosInstance, { request: number; response: number }>();

// axios' `timeout` only starts with the HTTP request; make it bound the token fetch too.
function signalOf(config: Config): AuthorizeOptions {
  return {
    signal: config.signal instanceof AbortSignal ? config.signal : undefined,
    timeoutMs: config.timeout,
  };
}

// The absolute URL axios will request (its buildFullPath), without getUri()'s second config merge.
function urlOf(config: Config): string {
  const url = config.url ?? '';
  const base = config.baseURL;
  const absolute = /^([a-z][a-z\d+\-.]*:)?\/\//i.test(url);
  const allowAbsolute = (config as { allowAbsoluteUrls?: boolean }).allowAbsoluteUrls !== false;
  if (!base || (absolute && allowAbsolute)) return url;
  return url ? `${base.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : base;
}

// follow-redirects keeps Authorization for subdomains, and never knows our extra headers.
function stripOnRedirect(auth: TokenManager, names: string[], user?: Redirect): Redirect {
  return (options, details, requestDetails) => {
    const target = (options as { href?: string }).href;
    if (target === undefined || !auth.allows(target)) {
      const headers = options.headers as Record<string, unknown>;
      for (const key of Object.keys(headers)) {
        if (names.includes(key.toLowerCase())) delete headers[key];
      }
    }
    user?.(options, details, requestDetails);
  };
}

function redact(error: AxiosError): AxiosError {
  const authorization = error.config && sent.get(error.config);
  if (authorization) {
    for (const name of Object.keys(authorization.headers)) {
      if (error.config?.headers.has(name)) error.config.headers.set(name, REDACTED);
    }
  }
  // The raw request (ClientRequest / XMLHttpRequest) holds the header bytes, and a stream body
  // piped into it points back at it: keep both, unlisted.
  for (const holder of [error, error.response]) {
    if (holder && 'request' in holder) {
      Object.defineProperty(holder, 'request', { enumerable: false, value: holder.request });
    }
  }
  const data = error.config?.data;
  if (error.config && !isReplayableBody(data)) {
    Object.defineProperty(error.config, 'data', { enumerable: false, value: data });
  }
  return error;
}

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
  ejectAuth(instance);
  const request = instance.interceptors.request.use(async (config: Config) => {
    if (config.authwire === false) return config;
    const url = urlOf(config);
    if (!auth.allows(url)) return config;
    const authorization = await auth.authorize(url, signalOf(config));
    if (!authorization) return config;
    for (const [name, value] of Object.entries(authorization.headers)) {
      config.headers.set(name, value);
    }
    sent.set(config, authorization);
    const names = Object.keys(authorization.headers).map((name) => name.toLowerCase());
    config.beforeRedirect = stripOnRedirect(auth, names, config.beforeRedirect);
    return config;
  });
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
      throw redact(error);
    }
    const url = urlOf(config);
    // The retry goes through the interceptors again, which attach the token this call fetched.
    if (!(await auth.reauthorize(url, authorization.token, signalOf(config)))) {
      throw redact(error);
    }
    const retry: Config = { ...config, [RETRIED]: true };
    return instance.request<unknown, AxiosResponse>(retry);
  });
  installed.set(instance, { request, response });
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
  instance.interceptors.request.eject(ids.request);
  instance.interceptors.response.eject(ids.response);
  installed.delete(instance);
}
