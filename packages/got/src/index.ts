// got adapter: hooks that attach the manager's headers and heal one 401 per request (got 14-16).
import {
  type Authorization,
  type AuthorizeOptions,
  assertTokenManager,
  isReplayableBody,
  REDACTED,
  type TokenManager,
} from '@authwire/core';
import type { Got, Hooks, RequestError } from 'got';

/** Per-request `context` of got: `{ authwire: false }` sends the request without a token. */
export interface AuthContext {
  readonly authwire?: boolean;
}

type Sent = { authorization: Authorization; retried: boolean };

/** The got hooks `authHooks` returns, ready for `got.extend({ hooks })`. */
export type AuthHooks = Pick<
  Hooks,
  'init' | 'beforeRequest' | 'beforeRedirect' | 'afterResponse' | 'beforeError'
>;

function signalOf(options: {
  signal?: AbortSignal | undefined;
  timeout: { request?: number | undefined };
}): AuthorizeOptions {
  // got's timeouts start with the HTTP request; make `timeout.request` bound the token fetch too.
  return { signal: options.signal, timeoutMs: options.timeout.request };
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
  assertTokenManager(auth);
  // got keeps one Options object per request across its retries (a redirect gets a new one).
  const sent = new WeakMap<object, Sent>();
  // The body as given: got turns FormData into a stream (that it can replay) before any hook.
  const bodies = new WeakMap<object, unknown>();
  // Header names this manager attaches, to strip on redirects and redact in errors.
  const attached = new Set<string>();
  return {
    init: [
      (plain, options) => {
        if (plain.body !== undefined) bodies.set(options, plain.body);
      },
    ],
    beforeRequest: [
      async (options) => {
        const url = options.url?.toString();
        if (options.context.authwire === false || !url || !auth.allows(url)) return;
        const authorization = await auth.authorize(url, signalOf(options));
        if (!authorization) return;
        const headers = lowercase(authorization);
        for (const name of Object.keys(headers)) attached.add(name);
        Object.assign(options.headers, headers);
        sent.set(options, { authorization, retried: sent.get(options)?.retried ?? false });
      },
    ],
    beforeRedirect: [
      // got strips Authorization across origins, not extra headers such as Norce's ApplicationId.
      // The redirect gets new Options, so drop every header name this manager ever attached.
      (options) => {
        const url = options.url?.toString();
        if (url && auth.allows(url)) return;
        for (const name of attached) delete options.headers[name];
      },
    ],
    afterResponse: [
      async (response, retryWithMergedOptions) => {
        const options = response.request.options;
        const state = sent.get(options);
        if (response.statusCode !== 401 || !state || state.retried) return response;
        const body = bodies.get(options);
        if (!isReplayableBody(body)) return response;
        state.retried = true;
        const { token } = state.authorization;
        const authorization = await auth.reauthorize(response.url, token, signalOf(options));
        if (!authorization) return response;
        // Only headers: got keeps `json`, `form` and `body` and sends them again.
        const headers = { ...lowercase(authorization) };
        return retryWithMergedOptions(body instanceof FormData ? { headers, body } : { headers });
      },
    ],
    beforeError: [
      (error: RequestError) => {
        for (const name of attached) {
          if (error.options.headers[name] !== undefined) error.options.headers[name] = REDACTED;
        }
        return error;
      },
    ],
  };
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
