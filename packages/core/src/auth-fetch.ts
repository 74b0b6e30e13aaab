// A fetch that attaches the manager's headers and heals one 401: for plain fetch and fetch-based clients.
import { isReplayableBody } from './body.ts';
import type { TokenManager } from './manager-types.ts';
import type { Authorization } from './types.ts';

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
    // The common case, a URL and a cached token: no Request of our own, no waiting.
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
    const ready = url === undefined ? undefined : auth.peek(url);
    if (url === undefined || !ready) return viaRequest(input, init);
    const response = await send(input, withHeaders(init, ready));
    if (response.status !== 401 || !(options.replayable ?? isReplayableBody(init?.body))) {
      return response;
    }
    const wait = { signal: init?.signal ?? undefined, timeoutMs: options.timeoutMs };
    const fresh = await auth.reauthorize(url, ready.token, wait);
    if (!fresh) return response;
    await response.body?.cancel();
    return send(input, withHeaders(init, fresh));
  };

  async function viaRequest(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    // A Request comes with its own body; `init` then only carries extras (e.g. a dispatcher).
    const isRequest = input instanceof Request;
    const request = isRequest ? input : new Request(input, init);
    const extra = isRequest ? init : undefined;
    if (!auth.allows(request.url)) return send(request, extra);
    const waitOptions = { signal: request.signal, timeoutMs: options.timeoutMs };
    const authorization =
      auth.peek(request.url) ?? (await auth.authorize(request.url, waitOptions));
    if (!authorization) return send(request, extra);
    setHeaders(request.headers, authorization);
    const replayable = options.replayable ?? (isRequest || isReplayableBody(init?.body));
    // Without a body the Request itself can be sent again; only a body needs a copy.
    const spare = !replayable ? undefined : request.body === null ? request : request.clone();
    const response = await send(request, extra);
    if (response.status !== 401 || !spare) return response;
    const fresh = await auth.reauthorize(request.url, authorization.token, waitOptions);
    if (!fresh) return response;
    await response.body?.cancel();
    setHeaders(spare.headers, fresh);
    return send(spare, extra);
  }
}

function setHeaders(headers: Headers, authorization: Authorization): void {
  for (const name in authorization.headers) {
    headers.set(name, authorization.headers[name] as string);
  }
}

function withHeaders(init: RequestInit | undefined, authorization: Authorization): RequestInit {
  const own = init?.headers;
  // Plain objects (the usual case) are merged without building a Headers; a name the caller set
  // in another case is replaced, not doubled.
  if (own === undefined || (own.constructor === Object && !clashes(own, authorization))) {
    return { ...init, headers: own ? { ...own, ...authorization.headers } : authorization.headers };
  }
  const headers = new Headers(own);
  setHeaders(headers, authorization);
  return { ...init, headers };
}

function clashes(own: object, authorization: Authorization): boolean {
  for (const name in own) {
    for (const ours in authorization.headers) {
      if (name.toLowerCase() === ours.toLowerCase()) return true;
    }
  }
  return false;
}
