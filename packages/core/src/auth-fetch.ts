// A fetch that attaches the manager's headers and heals one 401: for plain fetch and fetch-based clients.
import { isReplayableBody } from './body.ts';
import type { TokenManager } from './manager-types.ts';

/** The shape of `fetch`, without its static members. */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export interface AuthFetchOptions {
  /** Bounds the wait for a token, e.g. with the client's own timeout. */
  readonly timeoutMs?: number | undefined;
  /**
   * Whether the body may be sent a second time. Default: decided from `init.body` (streams may
   * not); for a `Request` input its body is copied with `Request.clone()`, which buffers a stream.
   */
  readonly replayable?: boolean | undefined;
}

/**
 * Wraps `fetch` so requests to the manager's origins carry its headers, and a 401 is retried
 * once with a fresh token (a second 401 is returned as is). Other origins are sent untouched.
 *
 * @example
 * const fetchWithAuth = authFetch(auth);
 * const res = await fetchWithAuth('https://api.example.com/orders');
 */
export function authFetch(
  auth: TokenManager,
  fetch?: Fetch,
  options: AuthFetchOptions = {},
): Fetch {
  const send: Fetch = fetch ?? ((input, init) => globalThis.fetch(input, init));
  return async (input, init) => {
    // A Request comes with its own body; `init` then only carries extras (e.g. a dispatcher).
    const isRequest = input instanceof Request;
    const request = isRequest ? input : new Request(input, init);
    const extra = isRequest ? init : undefined;
    if (!auth.allows(request.url)) return send(request, extra);
    const waitOptions = { signal: request.signal, timeoutMs: options.timeoutMs };
    const authorization = await auth.authorize(request.url, waitOptions);
    if (!authorization) return send(request, extra);
    for (const [name, value] of Object.entries(authorization.headers))
      request.headers.set(name, value);
    const replayable = options.replayable ?? (isRequest || isReplayableBody(init?.body));
    // Without a body the Request itself can be sent again; only a body needs a copy.
    const spare = !replayable ? undefined : request.body === null ? request : request.clone();
    const response = await send(request, extra);
    if (response.status !== 401 || !spare) return response;
    const fresh = await auth.reauthorize(request.url, authorization.token, waitOptions);
    if (!fresh) return response;
    await response.body?.cancel();
    for (const [name, value] of Object.entries(fresh.headers)) spare.headers.set(name, value);
    return send(spare, extra);
  };
}
