// got adapter: hooks that attach the manager's headers and heal one 401 per request (got 14-16).
import {
  type Authorization,
  type AuthorizeOptions,
  assertTokenManager,
  isReplayableBody,
  REDACTED,
  sentHeaders,
  type TokenManager,
} from '@authwire/core';
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
  const sent = sentHeaders();
  const retried = new WeakSet<object>();
  // The body as given: got turns FormData into a stream (that it can replay) before any hook.
  const bodies = new WeakMap<object, unknown>();
  const attached = sent.names;
  const attach = (options: Options, authorization: Authorization | undefined): void => {
    if (!authorization) return;
    sent.remember(authorization);
    Object.assign(options.headers, lowercase(authorization));
  };
  const heal = async (url: string, rejected: Authorization, wait: AuthorizeOptions) => {
    const fresh = await auth.reauthorize(url, rejected.token, wait);
    // Only headers: got keeps `json`, `form` and `body` and sends them again.
    return fresh && { ...lowercase(fresh) };
  };
  return {
    init: [
      (plain, options) => {
        if (plain.body !== undefined) bodies.set(options, plain.body);
      },
    ],
    beforeRequest: [
      (options) => {
        if (options.context.authwire === false || !options.url) return;
        const url = options.url.toString();
        // A cached token is attached without waiting; otherwise the hook waits for one.
        const ready = auth.peek(url);
        if (ready) return attach(options, ready);
        if (!auth.allows(url)) return;
        return auth.authorize(url, signalOf(options)).then((fresh) => attach(options, fresh));
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
      (response, retryWithMergedOptions) => {
        if (response.statusCode !== 401) return response;
        const options = response.request.options;
        const authorization = sent.find(options.headers.authorization);
        // One retry per request: got keeps the same Options object across it.
        if (!authorization || retried.has(options)) return response;
        const body = bodies.get(options);
        if (!isReplayableBody(body)) return response;
        retried.add(options);
        return heal(response.url, authorization, signalOf(options)).then((headers) =>
          headers
            ? retryWithMergedOptions(body instanceof FormData ? { headers, body } : { headers })
            : response,
        );
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
