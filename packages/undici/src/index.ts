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
import { bufferBody, urlOf, withHeaders } from './dispatch-options.ts';
import { fail, Relay } from './relay.ts';

/**
 * An undici interceptor, for `dispatcher.compose(...)`. Typed loosely on purpose: the handler
 * types of undici 7 and 8 differ (`onBodySent`), and it must compose onto either.
 */
// biome-ignore lint/suspicious/noExplicitAny: one signature that both undici majors accept.
export type Interceptor = (dispatch: AnyDispatch) => AnyDispatch;
// biome-ignore lint/suspicious/noExplicitAny: see Interceptor.
type AnyDispatch = (options: any, handler: any) => boolean;
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
        if (ready && opts.body == null)
          return send(dispatch, seam, opts, handler, url, ready, true);
        if (ready || seam.allows(url)) {
          authorise(dispatch, seam, opts, handler, url, ready).catch((error: Error) =>
            fail(handler, error),
          );
          return true;
        }
      }
      return dispatch(opts, handler);
    };
}

async function authorise(
  dispatch: Dispatch,
  seam: RequestAuth,
  opts: Options,
  handler: Dispatcher.DispatchHandler,
  url: string,
  ready: Authorization | undefined,
): Promise<void> {
  const { body, replayable } = await bufferBody(opts.body);
  const authorization = ready ?? (await seam.headers(url));
  const sent = { ...opts, body } as Options;
  if (!authorization) dispatch(sent, handler);
  else send(dispatch, seam, sent, handler, url, authorization, replayable);
}

/** Sends `opts` with `authorization`; a 401 asks the seam once whether to send it again. */
function send(
  dispatch: Dispatch,
  seam: RequestAuth,
  opts: Options,
  handler: Dispatcher.DispatchHandler,
  url: string,
  authorization: Authorization,
  replayable: boolean,
): boolean {
  const headers = withHeaders(opts.headers, authorization);
  if (!headers) return dispatch(opts, handler);
  const call = {};
  const sent = { authorization: authorization.headers.Authorization, url, replayable };
  const relay = new Relay(
    handler,
    (status, retried) =>
      seam.retry(call, retried ? { ...sent, authorization: retried.headers.Authorization } : sent, {
        status,
      }),
    (fresh) => dispatch({ ...opts, headers: withHeaders(opts.headers, fresh) ?? headers }, relay),
  );
  return dispatch({ ...opts, headers }, relay);
}
