// A fetch on the request seam: for plain fetch and fetch-based clients (the fifth adapter).
import { InvalidOptionsError } from '../errors/errors.ts';
import type { TokenManager } from '../manager/manager-types.ts';
import { setHeaders } from './headers.ts';
import { sendFollowing } from './redirects.ts';
import { type RequestAuth, requestAuth } from './request-auth.ts';
import type { OutgoingRequest } from './seam-types.ts';

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
  // Read once, not per request (bench 1b′, callgrind: fetch).
  const { body: given, replayable, timeoutMs } = options;
  const bodyGiven = 'body' in options;
  return async (input, init) => {
    // A URL string, the most common input, is told apart without a prototype walk (bench 1b′).
    const url = typeof input === 'string' ? input : undefined;
    const original = url === undefined && input instanceof Request ? input : undefined;
    // A Request's getters are each read once, the signal only when it is waited with (bench 1b′,
    // callgrind: ky, fetch).
    const request: { -readonly [K in keyof OutgoingRequest]: OutgoingRequest[K] } = {
      method: original ? original.method : (init?.method ?? 'GET'),
      url: url ?? (original ? original.url : String(input)),
      headers: original?.headers,
      body: bodyGiven ? given : original ? undefined : init?.body,
      fetchRequest: original,
      replayable,
      signal: undefined,
      timeoutMs,
    };
    // At once while a token is cached: the promise only when one is awaited (bench 1b′, callgrind).
    let authorization = seam.cached(request);
    if (!authorization) {
      request.signal = signalOf(original, init);
      authorization = await seam.authorize(request);
    }
    if (!authorization) return send(input, init);
    if (request.headers) setHeaders(request.headers as Headers, authorization);
    else request.headers = headersWith(init?.headers, authorization);
    const headers = request.headers as HeadersInit;
    // A token header fetch would carry across origins: the seam follows the redirects itself.
    const follows =
      seam.fetchWouldLeak(authorization) &&
      (init?.redirect ?? original?.redirect ?? 'follow') === 'follow';
    const out: Fetch = follows
      ? (target, with_) => sendFollowing(seam, (next) => send(next), target, with_)
      : send;
    const first = await out(original ?? input, original ? init : { ...init, headers });
    if (!seam.wants(first.status)) return first;
    request.signal ??= signalOf(original, init);
    const retry = await seam.onResponse(request, first);
    if (!retry) return first;
    await first.body?.cancel();
    // A Request copy has the fresh headers set (onResponse); other input is sent again with them.
    const again = retry.request?.headers ?? headersWith(init?.headers, retry.headers);
    const second = await out(
      retry.request ?? input,
      retry.request ? init : { ...init, headers: again },
    );
    // Only reports a second 401 (`unauthorized_surfaced`): this call was retried already.
    await seam.onResponse({ ...request, headers: again, call: request }, second);
    return second;
  };
}

/**
 * The caller's headers with `ours` set over any of the same name (in any case). A plain record
 * (or none) stays a record, and none or an empty one is `ours` itself: fetch reads a record for
 * less than a `Headers` (bench 1b′, callgrind: fetch, own instructions per request); any other
 * shape becomes a `Headers`.
 */
function headersWith(
  given: HeadersInit | undefined,
  ours: Readonly<Record<string, string>>,
): Headers | Readonly<Record<string, string>> {
  // `constructor` is Object for a plain record only: anything else takes the general way.
  if (given !== undefined && given.constructor !== Object) {
    const headers = new Headers(given);
    setHeaders(headers, ours);
    return headers;
  }
  let record: Record<string, string> | undefined;
  const own = given as Readonly<Record<string, string>> | undefined;
  for (const name in own) {
    record ??= {};
    if (!hasName(ours, name)) record[name] = own[name] as string;
  }
  return record ? Object.assign(record, ours) : ours;
}

function signalOf(original: Request | undefined, init: RequestInit | undefined) {
  return (original ? original.signal : init?.signal) ?? undefined;
}

function hasName(headers: Readonly<Record<string, string>>, name: string): boolean {
  const lower = name.toLowerCase();
  for (const own in headers) if (own.toLowerCase() === lower) return true;
  return false;
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
