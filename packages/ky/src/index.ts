// ky adapter: hooks that attach the manager's headers and heal one 401 per request (ky 1 and 2).
import { type Authorization, isReplayableBody, REDACTED, type TokenManager } from '@authwire/core';
import type { Hooks, KyInstance } from 'ky';

/** Per-request `context` of ky: `{ authwire: false }` sends the request without a token. */
export interface AuthContext {
  readonly authwire?: boolean;
}

interface Call {
  authorization: Authorization;
  /** An unsent copy for the one retry; absent for one-shot (stream) bodies. */
  spare: Request | undefined;
}
interface Options {
  readonly body?: unknown;
  readonly context?: Record<PropertyKey, unknown>;
  readonly signal?: AbortSignal | null;
  readonly fetch?: Send;
}
type Send = (request: Request) => Promise<Response>;
interface State {
  request: Request;
  options: Options;
  response?: Response;
  error?: Error;
}

// ky 2 hands hooks one state object; ky 1 positional arguments (or the error alone).
function state(args: unknown[]): State {
  const [first, options, response] = args;
  if (first instanceof Request)
    return {
      request: first,
      options: options as Options,
      ...(response instanceof Response ? { response } : {}),
    };
  if (first instanceof Error) return { ...(first as Error & State), error: first };
  return first as State;
}

// ky 2 keeps `fetch` and `timeout` from hooks; its `init` hook still sees them, so keep them here.
const INIT = Symbol('authwire.init');
interface Init {
  readonly fetch?: Send | undefined;
  readonly timeout?: number | false;
}

/**
 * ky hooks that send the manager's headers to its origins and retry a 401 once with a fresh
 * token, with no back-off and whatever `retry` says. Your own `hooks` are merged in. Errors
 * reaching the caller carry `[redacted]` instead of the token. A stream body is not retried.
 *
 * @example
 * ```ts
 * const api = ky.create({ prefix: 'https://api.example.com', hooks: authHooks(auth) });
 * await api.get('health', { context: { authwire: false } });
 * ```
 */
export function authHooks(auth: TokenManager, hooks: Hooks = {}): Hooks {
  // Keyed by ky's per-request signal: ky 2 passes a clone of the request to later hooks.
  const calls = new WeakMap<object, Call>();
  const keyOf = ({ request, options }: State): object => options.signal ?? request;

  async function beforeRequest(...args: unknown[]): Promise<void> {
    const current = state(args);
    const { request, options } = current;
    if (options.context?.authwire === false || !auth.allows(request.url)) return;
    const init = options.context?.[INIT] as Init | undefined;
    const timeout = init ? init.timeout : (options as Init).timeout;
    const authorization = await auth.authorize(request.url, {
      signal: request.signal,
      timeoutMs: typeof timeout === 'number' ? timeout : undefined,
    });
    if (!authorization) return;
    for (const [name, value] of Object.entries(authorization.headers)) {
      request.headers.set(name, value);
    }
    // Without a body the Request itself can be sent again; only a body needs a copy.
    const spare = !isReplayableBody(options.body)
      ? undefined
      : request.body === null
        ? request
        : request.clone();
    calls.set(keyOf(current), { authorization, spare });
  }

  async function afterResponse(...args: unknown[]): Promise<Response | undefined> {
    const current = state(args);
    const call = calls.get(keyOf(current));
    if (current.response?.status !== 401 || !call?.spare) return undefined;
    const { request, options } = current;
    const retry = call.spare;
    call.spare = undefined;
    const init = options.context?.[INIT] as Init | undefined;
    const timeout = init ? init.timeout : (options as Init).timeout;
    const authorization = await auth.reauthorize(request.url, call.authorization.token, {
      signal: request.signal,
      timeoutMs: typeof timeout === 'number' ? timeout : undefined,
    });
    if (!authorization) return undefined;
    call.authorization = authorization;
    for (const [name, value] of Object.entries(authorization.headers)) {
      retry.headers.set(name, value);
    }
    const send = (init ? init.fetch : options.fetch) ?? globalThis.fetch;
    // ky's per-attempt timeout does not cover a request we send ourselves: apply it here.
    if (typeof timeout !== 'number') return send(retry);
    return send(
      new Request(retry, { signal: AbortSignal.any([retry.signal, AbortSignal.timeout(timeout)]) }),
    );
  }

  function beforeError(...args: unknown[]): Error {
    const current = state(args);
    const error = current.error as Error & { request?: Request };
    const call = current.options && calls.get(keyOf(current));
    for (const request of [current.request, error.request]) {
      for (const name of Object.keys(call?.authorization.headers ?? {})) {
        if (request?.headers.has(name)) request.headers.set(name, REDACTED);
      }
    }
    return error;
  }

  return {
    ...hooks,
    init: [
      ...(hooks.init ?? []),
      (options) => {
        const init: Init = { fetch: options.fetch, timeout: options.timeout ?? 10_000 };
        options.context = { ...options.context, [INIT]: init };
      },
    ],
    beforeRequest: [...(hooks.beforeRequest ?? []), beforeRequest],
    afterResponse: [afterResponse, ...(hooks.afterResponse ?? [])],
    beforeError: [beforeError, ...(hooks.beforeError ?? [])],
  };
}

/**
 * Returns `instance.extend(...)` with {@link authHooks}; the instance's own hooks keep running.
 *
 * @example
 * ```ts
 * const api = withAuth(ky.create({ prefix: 'https://api.example.com' }), auth);
 * const orders = await api.get('orders').json();
 * ```
 */
export function withAuth(instance: KyInstance, auth: TokenManager): KyInstance {
  return instance.extend({ hooks: authHooks(auth) });
}
