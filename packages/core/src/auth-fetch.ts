// A fetch that attaches the manager's headers and heals one 401: for plain fetch and fetch-based clients (the fifth adapter).
import { isReplayableBody } from './body.ts';
import { InvalidOptionsError } from './errors.ts';
import type { TokenManager } from './manager-types.ts';
import { followRedirects, needsOwnRedirects } from './redirects.ts';
import { type RequestAuth, requestAuth, tokenValue } from './request-auth.ts';
import type { Authorization } from './types.ts';

/** The shape of `fetch`, without its static members (and without the DOM's `RequestInfo`). */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

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
  return seamFetch(requestAuth(auth), fetch, options);
}

/**
 * `authFetch` on a seam the caller already holds (for adapters built on fetch, such as ky), so
 * the adapter's redaction knows every header the fetch attached.
 */
export function seamFetch(seam: RequestAuth, fetch?: Fetch, options: AuthFetchOptions = {}): Fetch {
  if (fetch !== undefined && typeof fetch !== 'function') {
    throw new InvalidOptionsError('fetch', 'fetch must be a function');
  }
  checkAuthFetchOptions(options);
  const send: Fetch = fetch ?? ((input, init) => globalThis.fetch(input, init));
  const { timeoutMs } = options;
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = request ? request.url : typeof input === 'string' ? input : String(input);
    const signal = (request ? request.signal : init?.signal) ?? undefined;
    // A cached token costs no allocation of ours; otherwise wait for one.
    const authorization = seam.peek(url) ?? (await seam.headers(url, { signal, timeoutMs }));
    if (!authorization) return send(input, init);
    if (needsOwnRedirects(authorization) && (request?.redirect ?? init?.redirect) !== 'manual') {
      const replayable = options.replayable ?? (request ? true : isReplayableBody(init?.body));
      return sendFollowing(seam, send, new Request(input, init), authorization, {
        signal,
        timeoutMs,
        replayable,
      });
    }
    let spare: Request | undefined;
    let first: Promise<Response>;
    let replayable: boolean;
    if (request) {
      setHeaders(request.headers, authorization);
      replayable = options.replayable ?? true;
      // Without a body the Request itself can be sent again; only a body needs a copy.
      spare = !replayable ? undefined : request.body === null ? request : request.clone();
      first = send(request, init);
    } else {
      replayable = options.replayable ?? isReplayableBody(init?.body);
      first = send(input, withHeaders(init, authorization));
    }
    const response = await first;
    if (!seam.mayRetry(response.status)) return response;
    const sent = { authorization: tokenValue(authorization), url, replayable };
    const call = { url };
    const decision = seam.retry(call, sent, response, { signal, timeoutMs });
    if (!decision) return response;
    const fresh = await decision;
    if (!fresh) return response;
    await response.body?.cancel();
    let second: Response;
    if (spare) {
      setHeaders(spare.headers, fresh);
      second = await send(spare, init);
    } else {
      second = await send(input, withHeaders(init, fresh));
    }
    // Only reports a second 401 (`unauthorized_surfaced`): this call was retried already.
    seam.retry(call, { ...sent, authorization: tokenValue(fresh) }, second);
    return second;
  };
}

/**
 * The request with a credential header fetch would carry across origins: sent with
 * `redirect: 'manual'` and its redirects followed here, dropping the header when they leave the
 * manager's origins; a 401 is healed as on the plain path.
 */
async function sendFollowing(
  seam: RequestAuth,
  send: Fetch,
  base: Request,
  authorization: Authorization,
  wait: { signal: AbortSignal | undefined; timeoutMs: number | undefined; replayable: boolean },
): Promise<Response> {
  const attempt = async (from: Request, with_: Authorization): Promise<Response> => {
    const request = new Request(from, { redirect: 'manual' });
    setHeaders(request.headers, with_);
    const copy = request.clone();
    return followRedirects(seam, (next) => send(next), copy, await send(request));
  };
  const spare = wait.replayable ? base.clone() : undefined;
  const response = await attempt(base, authorization);
  if (!seam.mayRetry(response.status)) return response;
  const sent = {
    authorization: tokenValue(authorization),
    url: base.url,
    replayable: wait.replayable,
  };
  const call = { url: base.url };
  const decision = seam.retry(call, sent, response, wait);
  const fresh = decision && (await decision);
  if (!fresh || !spare) return response;
  await response.body?.cancel();
  const second = await attempt(spare, fresh);
  // Only reports a second 401 (`unauthorized_surfaced`): this call was retried already.
  seam.retry(call, { ...sent, authorization: tokenValue(fresh) }, second);
  return second;
}

function checkAuthFetchOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError('options', 'authFetch options must be an object');
  }
  const { timeoutMs, replayable } = options as AuthFetchOptions;
  if (
    timeoutMs !== undefined &&
    (typeof timeoutMs !== 'number' || !(timeoutMs >= 0) || !Number.isFinite(timeoutMs))
  ) {
    throw new InvalidOptionsError('timeoutMs', 'timeoutMs must be a finite number ≥ 0');
  }
  if (replayable !== undefined && typeof replayable !== 'boolean') {
    throw new InvalidOptionsError('replayable', 'replayable must be a boolean');
  }
}

/**
 * Sets every header of `authorization` on `headers` (a Request's or a Headers of your own).
 *
 * @example
 * ```ts
 * setHeaders(request.headers, authorization);
 * ```
 */
export function setHeaders(headers: Headers, authorization: Authorization): void {
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
