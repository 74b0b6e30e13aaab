// The hook floor of each client (issue 21, callgrind row 1b′): exactly the hooks, interceptors or
// wrappers the authwire adapter installs on that client, in the same shape (sync or async, the same
// axios `synchronous`/`runWhen` options), each doing nothing but hand its input on. A client with
// these installed and a static header pays what any hook costs; what authwire's arm pays above it
// is authwire's own work. bench/test/hook-floors.test.ts pins that the shapes match the adapters'.
import type { Fetch } from '@authwire/core';
import type { AxiosInstance } from 'axios';
import type { Hooks as GotHooks } from 'got';
import type { Hooks as KyHooks } from 'ky';
import type { Middleware } from 'openapi-fetch';
import type { Dispatcher } from 'undici';

/**
 * As `@authwire/axios` `withAuth`: a synchronous request interceptor that always runs, an async one
 * whose runWhen lets it run only without a cached token (here: never), and a response interceptor
 * with only a rejection handler.
 */
export function axiosFloor<T extends AxiosInstance>(instance: T): T {
  instance.interceptors.request.use((config) => config, null, { synchronous: true });
  instance.interceptors.request.use(async (config) => config, null, { runWhen: () => false });
  instance.interceptors.response.use(null, async (error: unknown) => {
    throw error;
  });
  return instance;
}

/**
 * A fetch that calls through, as `authFetch` wraps one (async, the same arguments). With
 * `headers` (ky's floor), it sets them on the `Request` it is handed, as authwire sets its own.
 */
export function fetchFloor(fetch?: Fetch, headers?: Readonly<Record<string, string>>): Fetch {
  const send: Fetch = fetch ?? ((input, init) => globalThis.fetch(input, init));
  if (!headers) return async (input, init) => send(input, init);
  return async (input, init) => {
    for (const name in headers) (input as Request).headers.set(name, headers[name] as string);
    return send(input, init);
  };
}

type KyOptions = { fetch?: unknown };

/**
 * As `@authwire/ky` `authHooks`: `init` (which installs the request's fetch: here one that calls
 * through, as `authFetch`'s floor), `beforeRequest` (ky 2 hands it a state object, so authwire's
 * returns undefined) and `beforeError`. With `headers`, that fetch sets them on the Request, as
 * authwire's does: ky clones a client's default headers for init hooks, a cost authwire's client
 * (no default header) does not pay, so the floor sends its static header this way instead.
 */
export function kyFloorHooks(headers?: Readonly<Record<string, string>>): KyHooks {
  return {
    init: [
      (options: KyOptions) => {
        options.fetch = fetchFloor(options.fetch as Fetch | undefined, headers);
      },
    ],
    beforeRequest: [() => undefined],
    beforeError: [(state: { error: Error }) => state.error],
  } as unknown as KyHooks;
}

/** As `@authwire/got` `authHooks`: the same five hooks, async where authwire's are. */
export function gotFloorHooks(): Pick<
  GotHooks,
  'init' | 'beforeRequest' | 'beforeRedirect' | 'afterResponse' | 'beforeError'
> {
  return {
    init: [() => undefined],
    beforeRequest: [async () => undefined],
    beforeRedirect: [() => undefined],
    afterResponse: [async (response) => response],
    beforeError: [(error) => error],
  };
}

/** As `@authwire/openapi-fetch` `authMiddleware`: async `onRequest` and `onResponse`, both passing. */
export function openapiFetchFloor(): Middleware {
  return {
    async onRequest() {
      return undefined;
    },
    async onResponse() {
      return undefined;
    },
  };
}

/** As `@authwire/undici` `authwire()`: one interceptor for `compose()`, here passing each dispatch on. */
export function undiciFloor(): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function floorDispatch(options, handler) {
      return dispatch(options, handler);
    };
}
