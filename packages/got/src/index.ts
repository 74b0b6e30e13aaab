// got adapter: hooks that map got onto core's request seam (attach, heal one 401, strip on redirect, redact); got 14-16.
import type { TokenManager } from '@authwire/core';
import {
  type Authorization,
  type AuthorizeOptions,
  isReplayableBody,
  requestAuth,
} from '@authwire/core/kit';
import type { Got, Hooks, RequestError } from 'got';

/** Per-request `context` of got: `{ authwire: false }` sends the request without a token. */
export interface AuthContext {
  readonly authwire?: boolean;
}

// got 14 calls them Options, got 16 NormalizedOptions: what the hooks get.
type Options = Parameters<NonNullable<Hooks['beforeRequest']>[number]>[0];

/** The got hooks `authHooks` returns, ready for `got.extend({ hooks })`. */
export type AuthHooks = Pick<
  Hooks,
  'init' | 'beforeRequest' | 'beforeRedirect' | 'afterResponse' | 'beforeError'
>;

// got's timeouts start with the HTTP request; make `timeout.request` bound the token fetch too.
function waitOf(options: {
  signal?: unknown;
  timeout: { request?: number | undefined };
}): AuthorizeOptions {
  const signal = options.signal instanceof AbortSignal ? options.signal : undefined;
  return { signal, timeoutMs: options.timeout.request };
}

/**
 * got hooks that send the manager's headers to its origins and retry a 401 once with a fresh
 * token, whatever `retry.limit` says and without back-off. Errors reaching the caller carry
 * `[redacted]` instead of the token. A stream body is not retried: its 401 reaches the caller.
 *
 * @example
 * ```ts
 * const api = got.extend({ prefixUrl: 'https://api.example.com', hooks: authHooks(auth) });
 * await api.get('health', { context: { authwire: false } });
 * ```
 */
export function authHooks(auth: TokenManager): AuthHooks {
  const seam = requestAuth(auth);
  // The body as given: got turns FormData into a stream (that it can replay) before any hook.
  // Made with the first request that has a body.
  let bodies: WeakMap<object, unknown> | undefined;
  return {
    init: [
      (plain, options) => {
        if (plain.body === undefined) return;
        bodies ??= new WeakMap();
        bodies.set(options, plain.body);
      },
    ],
    beforeRequest: [
      (options) => {
        if (options.context.authwire === false || !options.url) return;
        // A cached token is attached without waiting; otherwise the hook waits for one.
        const url = options.url.toString();
        const ready = seam.peek(url) ?? seam.headers(url, waitOf(options));
        if (ready instanceof Promise) return ready.then((fresh) => attach(options, fresh));
        attach(options, ready);
      },
    ],
    beforeRedirect: [
      // got strips Authorization across origins, not extra headers such as Norce's ApplicationId.
      (options) => {
        for (const name of seam.stripOnRedirect(options.url?.toString()))
          delete options.headers[name];
      },
    ],
    afterResponse: [
      (response, retryWithMergedOptions) => {
        if (!seam.mayRetry(response.statusCode)) return response;
        const options = response.request.options;
        const body = bodies?.get(options);
        // got keeps the same Options object across the retry: it is the per-request mark.
        const decision = seam.retry(
          options,
          {
            authorization: options.headers[seam.tokenHeader.toLowerCase()],
            url: response.requestUrl,
            replayable: isReplayableBody(body),
          },
          { status: response.statusCode, url: response.url },
          waitOf(options),
        );
        if (!decision) return response;
        return decision.then((fresh) => {
          if (!fresh) return response;
          // Only headers: got keeps `json`, `form` and `body` and sends them again.
          const headers = { ...lowercase(fresh) };
          return retryWithMergedOptions(body instanceof FormData ? { headers, body } : { headers });
        });
      },
    ],
    beforeError: [
      (error: RequestError) => {
        seam.redact(error.options.headers as Record<string, unknown>);
        return error;
      },
    ],
  };
}

/** Puts the manager's headers on got's (lower-cased) request headers. */
function attach(options: Options, authorization: Authorization | undefined): void {
  if (authorization) Object.assign(options.headers, lowercase(authorization));
}

// The manager hands out one Authorization per token, so its lower-cased headers are built once.
const lowercased = new WeakMap<Authorization, Readonly<Record<string, string>>>();
function lowercase(authorization: Authorization): Readonly<Record<string, string>> {
  let headers = lowercased.get(authorization);
  if (!headers) {
    headers = Object.fromEntries(
      Object.entries(authorization.headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    lowercased.set(authorization, headers);
  }
  return headers;
}

/**
 * Returns `instance.extend({ hooks: authHooks(auth) })`; the instance's own hooks keep running.
 *
 * @example
 * ```ts
 * const api = withAuth(got.extend({ prefixUrl: 'https://api.example.com' }), auth);
 * const orders = await api.get('orders').json();
 * ```
 */
export function withAuth(instance: Got, auth: TokenManager): Got {
  return instance.extend({ hooks: authHooks(auth) });
}
