// Redirects the seam follows itself for fetch-based clients: fetch drops only `Authorization` on a
// cross-origin redirect (Fetch, "HTTP-redirect fetch"), not X-Shopify-Access-Token or X-Auth-Token.
import type { RequestAuth } from './request-auth.ts';

/** Fetch's own limit (Fetch, "HTTP-redirect fetch": more than 20 is a network error). */
const MAX_REDIRECTS = 20;

const isRedirect = (status: number): boolean =>
  status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

// Fetch, "HTTP-redirect fetch": a redirect that becomes a GET drops the body and these headers.
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
];

/** Whether a 303, or a 301/302 after a POST, turns the next request into a GET without a body. */
function becomesGet(status: number, method: string): boolean {
  return status === 303
    ? method !== 'GET' && method !== 'HEAD'
    : status !== 307 && status !== 308 && method === 'POST';
}

/**
 * Follows `response`'s redirects the way fetch does (at most 20; a 303, and a 301/302 after a
 * POST, become GETs), calling `seam.onRedirect` before each hop so the seam's headers leave only
 * for its origins. `sent` is an unsent copy of the request that produced `response`, sent with
 * `redirect: 'manual'`.
 *
 * @example
 * ```ts
 * const request = new Request(url, { headers, redirect: 'manual' });
 * const copy = request.clone();
 * const response = await followRedirects(seam, fetch, copy, await fetch(request));
 * ```
 */
export async function followRedirects(
  seam: RequestAuth,
  send: (request: Request) => Promise<Response>,
  sent: Request,
  response: Response,
): Promise<Response> {
  let previous = sent;
  let current = response;
  for (let hops = 0; isRedirect(current.status); hops++) {
    const location = current.headers.get('location');
    if (location === null) return current;
    if (hops === MAX_REDIRECTS) throw new TypeError('fetch failed: too many redirects');
    const url = new URL(location, previous.url);
    const headers = new Headers(previous.headers);
    seam.onRedirect(url, headers);
    const asGet = becomesGet(current.status, previous.method);
    if (asGet) for (const name of BODY_HEADERS) headers.delete(name);
    const body = asGet || previous.body === null ? null : await previous.arrayBuffer();
    // Not awaited: a hook's response may be one branch of a tee, whose cancel settles only when
    // the other branch is cancelled too.
    current.body?.cancel().catch(() => {});
    const next = new Request(url, {
      method: asGet ? 'GET' : previous.method,
      headers,
      body,
      redirect: 'manual',
      signal: previous.signal,
    });
    previous = next.clone();
    current = await send(next);
  }
  return current;
}

/**
 * `send` for a request whose headers fetch would carry to another origin: when fetch would follow
 * its redirects (mode `follow`), it goes out with `redirect: 'manual'` and they are followed by
 * {@link followRedirects}; otherwise it goes out as it is. Takes fetch's arguments, so the request
 * is built once.
 *
 * @example
 * ```ts
 * const response = await sendFollowing(seam, fetch, url, { headers });
 * ```
 */
export async function sendFollowing(
  seam: RequestAuth,
  send: (input: string | URL | Request, init?: RequestInit) => Promise<Response>,
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  const mode = init?.redirect ?? (input instanceof Request ? input.redirect : 'follow');
  if (mode !== 'follow') return send(input, init);
  const manual = new Request(input, { ...init, redirect: 'manual' });
  // Without a body, the request sent serves as the copy: a clone() costs ~12 µs a request
  // (Norce's ApplicationId and Shopify's token header go this way through every fetch client).
  const copy = manual.body === null ? manual : manual.clone();
  return followRedirects(seam, send, copy, await send(manual));
}
