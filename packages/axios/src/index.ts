// axios adapter: interceptors that map axios onto core's request seam (attach, heal one 401, strip, redact).
import type { TokenManager } from '@authwire/core';
import { type Authorization, isReplayableBody, RequestAuth } from '@authwire/core/kit';
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

/** What `withAuth` installed on an instance, by instance: the interceptor ids, for `ejectAuth`. */
const installed = new WeakMap<AxiosInstance, WiredInstance>();

/**
 * One wrapped instance: the request seam itself (a subclass, one object rather than two) with the
 * interceptor ids and the request and response steps as methods. The closures axios needs are
 * one-line calls into them, so an instance costs a few hundred bytes: agencies wrap one per tenant.
 */
class WiredInstance extends RequestAuth {
  readonly instance: AxiosInstance;
  readonly strip: ReturnType<typeof stripOnRedirect>;
  /**
   * What axios found cached when it asked for the dispatch mode: set, the request is dispatched
   * synchronously (and this is sent if the token turns stale within the call).
   */
  cached: Authorization | undefined;
  requestId = -1;
  responseId = -1;
  /** Only for `adapter: 'fetch'`: where redirected responses came from (made on first use). */
  fetched:
    | { readonly urls: WeakMap<object, string>; readonly track: ReturnType<typeof trackingFetch> }
    | undefined;

  constructor(instance: AxiosInstance, auth: TokenManager) {
    super(auth);
    this.instance = instance;
    this.strip = stripOnRedirect(this);
  }

  /**
   * Asked by axios before the interceptor runs, on the handler (`this`), whose `synchronous`
   * axios reads right after: with a token cached the request keeps axios' synchronous dispatch;
   * otherwise the interceptor returns a promise and axios waits for it.
   */
  dispatchMode(handler: { synchronous: boolean }, config: Config): true {
    const cached =
      config.authwire === false ? undefined : this.peek((this.manager.origins as [string])[0]);
    handler.synchronous = config.authwire === false || cached !== undefined;
    this.cached = cached;
    return true;
  }

  onRequest(config: Config): Config | Promise<Config> {
    // Set by this request's own `dispatchMode` only when it is dispatched synchronously (the
    // synchronous run reaches here before any other request can ask).
    const found = this.cached;
    this.cached = undefined;
    if (config.authwire === false) return config;
    // The URL as it is now: an interceptor registered later may have changed it.
    const url = urlOf(config);
    const cached = this.peek(url);
    if (cached) return this.attach(config, cached);
    if (!this.allows(url)) return config;
    // A synchronous dispatch cannot wait: the token cached a moment ago is still good to send
    // (it only crossed its refresh point or a manager closed since).
    if (found) return this.attach(config, found);
    return this.wait(config, url);
  }

  async wait(config: Config, url: string): Promise<Config> {
    return this.attach(config, await this.headers(url, waitOf(config)));
  }

  attach(config: Config, authorization: Authorization | undefined): Config {
    if (!authorization) return config;
    config.headers.set(authorization.headers);
    const user = config.beforeRedirect;
    const strip = this.strip;
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
      if (!this.fetched) {
        const urls = new WeakMap<object, string>();
        this.fetched = { urls, track: trackingFetch(urls) };
      }
      config.env = { ...config.env, fetch: this.fetched.track(config.env?.fetch) };
    }
    return config;
  }

  async onError(error: AxiosError): Promise<AxiosResponse> {
    // Anything but an AxiosError (e.g. from another interceptor) passes through.
    if (error?.isAxiosError !== true) throw error;
    const config = error.config as Config | undefined;
    if (!config || !error.response || !this.mayRetry(error.response.status)) {
      throw redact(error, this);
    }
    const decision = this.retry(
      config,
      {
        authorization: config.headers.get(this.tokenHeader),
        url: urlOf(config),
        replayable: isReplayableBody(config.data),
      },
      { status: error.response.status, url: answeredUrl(error.response, this.fetched?.urls) },
      waitOf(config),
    );
    // The retry goes through the interceptors again, which attach the token this call fetched.
    if (!decision || !(await decision)) throw redact(error, this);
    const retry: Config = { ...config };
    this.markRetried(retry);
    return this.instance.request<unknown, AxiosResponse>(retry);
  }
}

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
  const wired = new WiredInstance(instance, auth);
  ejectAuth(instance);
  wired.requestId = instance.interceptors.request.use(
    (config) => wired.onRequest(config),
    undefined,
    {
      synchronous: false,
      runWhen(this: { synchronous: boolean }, config: Config) {
        return wired.dispatchMode(this, config);
      },
    },
  );
  wired.responseId = instance.interceptors.response.use(undefined, (error: AxiosError) =>
    wired.onError(error),
  );
  installed.set(instance, wired);
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
  const wired = installed.get(instance);
  if (!wired) return;
  instance.interceptors.request.eject(wired.requestId);
  instance.interceptors.response.eject(wired.responseId);
  installed.delete(instance);
}
