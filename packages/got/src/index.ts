// got adapter: hooks that map got onto core's request seam (authorize, onResponse, strip on redirect, redact); got 14-16.
import type { TokenManager } from '@authwire/core';
import { type OutgoingRequest, requestAuth } from '@authwire/core/kit';
import type { Got, Hooks, RequestError } from 'got';

/** Per-request `context` of got: `{ authwire: false }` sends the request without a token. */
export type AuthContext = { readonly authwire?: boolean };

// What the hooks get: got 14's Options, got 16's NormalizedOptions.
type Options = Parameters<NonNullable<Hooks['beforeRequest']>[number]>[0];

/** The got hooks `authHooks` returns, ready for `got.extend({ hooks })`. */
export type AuthHooks = Pick<
  Hooks,
  'init' | 'beforeRequest' | 'beforeRedirect' | 'afterResponse' | 'beforeError'
>;

const lowercase = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** The body as given (got turns FormData into a stream before any hook runs), by Options. Module-level
 * like `keepBody` and `describe`: bench 4, "got instance wrapped" (~250 B per instance otherwise). */
const bodies = new WeakMap<object, unknown>();

const keepBody: NonNullable<Hooks['init']>[number] = (plain, options) =>
  void (plain.body !== undefined && bodies.set(options, plain.body));

/** The request as the seam sees it. got keeps the same Options object across the retry: it is the call. */
function describe(options: Options, url = options.url?.toString() ?? ''): OutgoingRequest {
  const { method, headers, signal: given, timeout } = options;
  const [body, signal] = [bodies.get(options), given instanceof AbortSignal ? given : undefined];
  // got's timeouts start with the HTTP request; make `timeout.request` bound the token wait too.
  return { method, url, headers, body, call: options, signal, timeoutMs: timeout.request };
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
  return {
    init: [keepBody],
    beforeRequest: [
      async (options) => {
        if (options.context.authwire === false || !options.url) return;
        // At once while a token is cached, set with no copy: a promise only when one is awaited
        // (bench 1b′, callgrind: got).
        const sent = { method: options.method, url: options.url.toString() };
        const headers = seam.cached(sent) ?? (await seam.authorize(describe(options)));
        for (const name in headers) options.headers[name.toLowerCase()] = headers[name];
      },
    ],
    beforeRedirect: [
      // got strips Authorization across origins, not extra headers such as Norce's ApplicationId.
      (options) => seam.onRedirect(options.url?.toString(), options.headers),
    ],
    afterResponse: [
      async (response, retryWithMergedOptions) => {
        const { statusCode: status, url, headers: received, request } = response;
        if (!seam.wants(status)) return response;
        const sent = describe(request.options as never, response.requestUrl.toString());
        const retry = await seam.onResponse(sent, { status, url, headers: received });
        if (!retry) return response;
        // Only headers: got keeps `json`, `form` and `body` and sends them again (a FormData anew).
        const body = bodies.get(request.options);
        const headers = lowercase(retry.headers);
        return retryWithMergedOptions(body instanceof FormData ? { headers, body } : { headers });
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
