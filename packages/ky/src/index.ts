// ky adapter: ky 2 goes through authFetch (an init hook), ky 1 through its request hooks; both on core's request seam.
import type { Fetch, TokenManager } from '@authwire/core';
import { isReplayableBody, requestAuth, seamFetch } from '@authwire/core/kit';
import type { Hooks, KyInstance } from 'ky';
import { hookState, ky1Hooks } from './ky1-hooks.ts';

/** Per-request `context` of ky: `{ authwire: false }` sends the request without a token. */
export interface AuthContext {
  readonly authwire?: boolean;
}

interface InitOptions {
  body?: unknown;
  context?: Record<PropertyKey, unknown>;
  fetch?: unknown;
  hooks?: Hooks;
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
  const legacy = ky1Hooks(seam);

  // ky 2 runs init hooks: there the request goes through authFetch, and the ky 1 hooks step
  // aside (an afterResponse hook makes ky clone every response; ky's timeout now covers the
  // token wait and the retry too).
  function init(options: InitOptions): void {
    const own = options.hooks;
    if (own?.beforeRequest)
      own.beforeRequest = own.beforeRequest.filter((h) => h !== legacy.beforeRequest);
    if (own?.afterResponse)
      own.afterResponse = own.afterResponse.filter((h) => h !== legacy.afterResponse);
    if (options.context?.authwire === false) return;
    const replayable = isReplayableBody(options.body);
    options.fetch = seamFetch(seam, options.fetch as Fetch | undefined, { replayable });
  }

  function beforeError(...args: unknown[]): Error {
    const current = hookState(args);
    const error = current.error as Error & { request?: Request };
    for (const request of [current.request, error.request]) {
      if (!request) continue;
      seam.redact(request.headers);
    }
    return error;
  }

  return {
    ...hooks,
    init: [...(hooks.init ?? []), init],
    beforeRequest: [...(hooks.beforeRequest ?? []), legacy.beforeRequest],
    afterResponse: [legacy.afterResponse, ...(hooks.afterResponse ?? [])],
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
