// undici adapter: an interceptor that maps every dispatch onto core's request seam (attach, heal one 401).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TokenManager } from '@authwire/core';
import {
  type Authorization,
  observeTokenRequests,
  type RequestAuth,
  requestAuth,
} from '@authwire/core/kit';
import type { Dispatcher } from 'undici';
import { bufferBody, carriesAuthorization, urlOf, withHeaders } from './dispatch-options.ts';
import { Relay } from './relay.ts';

/**
 * An undici interceptor, for `dispatcher.compose(...)`. Typed loosely on purpose: the handler
 * types of undici 7 and 8 differ (`onBodySent`), and it must compose onto either.
 *
 * @example
 * ```ts
 * const interceptor: Interceptor = authwire(auth);
 * const dispatcher = new Agent().compose(interceptor, interceptors.redirect({ maxRedirections: 3 }));
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: one signature that both undici majors accept.
export type Interceptor = (dispatch: (options: any, handler: any) => boolean) => typeof dispatch;
type Dispatch = Dispatcher['dispatch'];
type Options = Dispatcher.DispatchOptions;

/** The managers' own token requests run in this context, and pass the interceptor untouched. */
const OWN = new AsyncLocalStorage<true>();
// One function for every manager and every call: the manager keeps its wrappers in a Set.
const markOwn = <T>(_info: unknown, run: () => Promise<T>): Promise<T> => OWN.run(true, run);

/**
 * An undici interceptor that sends each manager's headers (token and preset headers) to that
 * manager's origins only, and retries a 401 once with a fresh token when the body can be sent
 * again (no body, or one of at most 1 MiB, which it buffers). Compose it before `redirect()`
 * so each hop is decided afresh. The managers' own token requests pass untouched, as does a
 * request that already carries an `Authorization` header.
 *
 * @example
 * ```ts
 * setGlobalDispatcher(new Agent().compose(authwire(norceAuth, oracleAuth)));
 * const orders = await fetch('https://api.example.com/orders'); // authorised
 * ```
 */
export function authwire(...managers: TokenManager[]): Interceptor {
  const seams = managers.map((manager) => {
    const seam = requestAuth(manager);
    observeTokenRequests(manager, markOwn);
    return seam;
  });
  return (dispatch: Dispatch): Dispatch =>
    function authwireDispatch(opts: Options, handler: Dispatcher.DispatchHandler): boolean {
      if (OWN.getStore()) return dispatch(opts, handler);
      const url = urlOf(opts);
      for (const seam of seams) {
        const ready = seam.peek(url);
        // Hot path ("undici (authwire)" callgrind row): a cached token, no body, sent at once.
        if (ready && opts.body == null) {
          const headers = withHeaders(opts.headers, ready);
          if (!headers) break;
          return send(dispatch, seam, opts, headers, new Relay(handler), url, ready, true);
        }
        if (ready || seam.allows(url)) {
          if (carriesAuthorization(opts.headers)) break;
          const relay = new Relay(handler);
          const signal = relay.start();
          authorise(dispatch, seam, opts, relay, url, ready, signal).catch((error: Error) =>
            relay.fail(error),
          );
          return true;
        }
      }
      return dispatch(opts, handler);
    };
}

/** Buffers a body that may be sent again, waits for the token, then sends. */
async function authorise(
  dispatch: Dispatch,
  seam: RequestAuth,
  opts: Options,
  relay: Relay,
  url: string,
  ready: Authorization | undefined,
  signal: AbortSignal,
): Promise<void> {
  const { body, replayable } = await bufferBody(opts.body);
  const authorization = ready ?? (await seam.headers(url, { signal }));
  const headers = authorization && withHeaders(opts.headers, authorization);
  const read = { ...opts, body } as Options;
  if (!authorization || !headers) dispatch(read, relay);
  else send(dispatch, seam, read, headers, relay, url, authorization, replayable);
}

/** Sends `opts` with `headers` (the caller's and ours); a 401 asks the seam whether to resend. */
function send(
  dispatch: Dispatch,
  seam: RequestAuth,
  opts: Options,
  headers: string[],
  relay: Relay,
  url: string,
  authorization: Authorization,
  replayable: boolean,
): boolean {
  const call = {};
  const sent = { authorization: authorization.headers.Authorization, url, replayable };
  relay.decide = (status, retried) =>
    seam.retry(call, retried ? { ...sent, authorization: retried.headers.Authorization } : sent, {
      status,
    });
  relay.resend = (fresh) =>
    dispatch({ ...opts, headers: withHeaders(opts.headers, fresh) ?? headers }, relay);
  return dispatch({ ...opts, headers }, relay);
}
