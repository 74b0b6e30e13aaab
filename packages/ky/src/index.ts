// ky adapter: every request goes through seamFetch (core's request seam): ky 2 from an init hook, ky 1 from beforeRequest.
import type { Fetch, TokenManager } from '@authwire/core';
import { requestAuth, seamFetch } from '@authwire/core/kit';
import type { Hooks, KyInstance } from 'ky';

/** Per-request `context` of ky: `{ authwire: false }` sends the request without a token. */
export type AuthContext = { readonly authwire?: boolean };

interface KyOptions {
  body?: unknown;
  context?: Record<PropertyKey, unknown>;
  fetch?: unknown;
  timeout?: number | false;
}
type State = { request: Request; options: KyOptions; error?: Error & { request?: Request } };

/** ky 2 hands hooks one state object; ky 1 positional arguments (or the error alone). */
function stateOf([first, options]: unknown[]): State {
  if (first instanceof Request) return { request: first, options: options as KyOptions };
  if (first instanceof Error) return { ...(first as unknown as State), error: first };
  return first as State;
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
  const seam = requestAuth(auth);
  const fetchFor = (options: KyOptions, send?: Fetch): Fetch => {
    const timeoutMs = typeof options.timeout === 'number' ? options.timeout : undefined;
    return seamFetch(seam, send ?? (options.fetch as Fetch | undefined), {
      body: options.body,
      timeoutMs,
    });
  };
  // ky 2: ky's own fetch (and its timeout) goes through the seam.
  function init(options: KyOptions): void {
    if (options.context?.authwire !== false) options.fetch = fetchFor(options);
  }
  // ky 1 has no init hooks: the request is answered here, each send bounded by ky's timeout.
  function beforeRequest(...args: unknown[]): Promise<Response> | undefined {
    // ky 2 hands hooks one state object, and its init hook did the wiring.
    if (!(args[0] instanceof Request)) return undefined;
    const { request, options } = stateOf(args);
    if (options.context?.authwire === false) return undefined;
    const inner = (options.fetch as Fetch | undefined) ?? globalThis.fetch;
    const timeout = typeof options.timeout === 'number' ? options.timeout : undefined;
    const send: Fetch = (input, init) =>
      inner(
        input,
        timeout === undefined
          ? init
          : {
              ...init,
              signal: AbortSignal.any([(input as Request).signal, AbortSignal.timeout(timeout)]),
            },
      );
    return fetchFor(options, send)(request);
  }
  function beforeError(...args: unknown[]): Error {
    const { request, error } = stateOf(args);
    for (const sent of [request, error?.request]) seam.redact(sent?.headers);
    return error as Error;
  }
  return {
    ...hooks,
    init: [...(hooks.init ?? []), init],
    beforeRequest: [...(hooks.beforeRequest ?? []), beforeRequest],
    beforeError: [beforeError, ...(hooks.beforeError ?? [])],
  } as Hooks;
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
