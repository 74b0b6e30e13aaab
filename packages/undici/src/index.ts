// undici adapter: an interceptor that maps every dispatch onto core's request seam (attach, heal one 401).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TokenManager } from '@authwire/core';
import {
  type OutgoingRequest,
  observeTokenRequests,
  type RequestAuth,
  requestAuth,
} from '@authwire/core/kit';
import type { Dispatcher } from 'undici';
import { bufferBody, callerHeaders, isBytes, urlOf, withHeaders } from './dispatch-options.ts';
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
      const seam = seamFor(seams, url);
      const caller = seam && callerHeaders(opts.headers);
      if (!seam || !caller) return dispatch(opts, handler);
      const relay = new Relay(handler);
      // A cached token and a body sent again as it is: dispatched at once, without the token
      // wait's signal or a promise (bench 1b′, callgrind: undici, own instructions per request).
      const { body } = opts;
      const request = { method: opts.method, url, body };
      const ours = isBytes(body) ? seam.cached(request) : undefined;
      const sending = { dispatch, seam, opts, caller, relay };
      if (ours) return send(sending, request, ours);
      const signal = relay.start();
      authorise(sending, url, signal).catch((error: Error) => relay.fail(error));
      return true;
    };
}

function seamFor(seams: readonly RequestAuth[], url: string): RequestAuth | undefined {
  for (const seam of seams) if (seam.allows(url)) return seam;
  return undefined;
}

/** Buffers a body that may be sent again, waits for the headers, then sends; a 401 asks the seam. */
async function authorise(sending: Sending, url: string, signal: AbortSignal): Promise<void> {
  const { opts, seam, dispatch, relay } = sending;
  const { body } = await bufferBody(opts.body);
  const read = { ...opts, body } as Options;
  const request: OutgoingRequest = { method: opts.method, url, body, signal };
  const ours = await seam.authorize(request);
  if (!ours) dispatch(read, relay);
  else send({ ...sending, opts: read }, request, ours);
}

/** One dispatch on its way: the caller's options and headers (`callerHeaders`), and its relay. */
interface Sending {
  readonly dispatch: Dispatch;
  readonly seam: RequestAuth;
  readonly opts: Options;
  readonly caller: readonly unknown[];
  readonly relay: Relay;
}

/** Sends `opts` with `ours` set, through `relay`, which asks the seam about the response. */
function send(
  { dispatch, seam, opts, caller, relay }: Sending,
  request: OutgoingRequest,
  ours: Readonly<Record<string, string>>,
): boolean {
  const headers = withHeaders(caller, ours);
  const sent = { ...request, headers };
  relay.decide = (status, responseHeaders, retried) =>
    seam.wants(status)
      ? seam.onResponse(retried ? { ...sent, headers: retried } : sent, {
          status,
          headers: responseHeaders,
        })
      : undefined;
  relay.resend = (fresh) => {
    const again = withHeaders(caller, fresh);
    dispatch({ ...opts, headers: again }, relay);
    return again;
  };
  return dispatch({ ...opts, headers }, relay);
}
