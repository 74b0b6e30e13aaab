// A fetch on the request seam: for plain fetch and fetch-based clients (the fifth adapter).
import { InvalidOptionsError } from '../errors/errors.ts';
import type { TokenManager } from '../manager/manager-types.ts';
import { setHeaders } from './headers.ts';
import { sendFollowing } from './redirects.ts';
import { type OutgoingRequest, type RequestAuth, requestAuth } from './request-auth.ts';

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

/** `seamFetch`'s options: also the body as the caller gave it, when `fetch` gets a Request built from it (ky). */
export interface SeamFetchOptions extends AuthFetchOptions {
  readonly body?: unknown;
}

/**
 * Wraps `fetch` so requests to the manager's origins carry its headers, and a 401 is retried
 * once with a fresh token (a second 401 is returned as is). Other origins are sent untouched.
 *
 * @example
 * ```ts
 * const fetchWithAuth = authFetch(auth);
 * const res = await fetchWithAuth('https://api.example.com/orders');
 * ```
 */
export function authFetch(
  auth: TokenManager,
  fetch?: Fetch,
  options: AuthFetchOptions = {},
): Fetch {
  return seamFetch(requestAuth(auth), fetch, options);
}

/**
 * `authFetch` on a seam the caller already holds (ky 2), so its redaction knows every header.
 *
 * @example
 * ```ts
 * const fetchWithAuth = seamFetch(requestAuth(auth), globalThis.fetch, { body: options.body });
 * ```
 */
export function seamFetch(seam: RequestAuth, fetch?: Fetch, options: SeamFetchOptions = {}): Fetch {
  if (fetch !== undefined && typeof fetch !== 'function') {
    throw new InvalidOptionsError('fetch', 'fetch must be a function');
  }
  checkAuthFetchOptions(options);
  const send: Fetch = fetch ?? ((input, init) => globalThis.fetch(input, init));
  return async (input, init) => {
    const original = input instanceof Request ? input : undefined;
    const headers = original ? original.headers : new Headers(init?.headers);
    const request: OutgoingRequest = {
      method: original?.method ?? init?.method ?? 'GET',
      url: original ? original.url : String(input),
      headers,
      ...('body' in options ? { body: options.body } : original ? {} : { body: init?.body }),
      fetchRequest: original,
      replayable: options.replayable,
      signal: (original ? original.signal : init?.signal) ?? undefined,
      timeoutMs: options.timeoutMs,
    };
    const authorization = await seam.authorize(request);
    if (!authorization) return send(input, init);
    setHeaders(headers, authorization);
    // A token header fetch would carry across origins: the seam follows the redirects itself.
    const out: Fetch = seam.fetchWouldLeak(authorization)
      ? (target, with_) => sendFollowing(seam, send, target, with_)
      : send;
    const first = await out(original ?? input, original ? init : { ...init, headers });
    const retry = await seam.onResponse(request, first);
    if (!retry) return first;
    await first.body?.cancel();
    const again = retry.request?.headers ?? headers;
    setHeaders(again, retry.headers);
    const second = await out(retry.request ?? input, retry.request ? init : { ...init, headers });
    // Only reports a second 401 (`unauthorized_surfaced`): this call was retried already.
    await seam.onResponse({ ...request, headers: again, call: request }, second);
    return second;
  };
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
