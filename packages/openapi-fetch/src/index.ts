// openapi-fetch adapter: a middleware that maps openapi-fetch onto core's request seam (attach, heal one 401).
import type { TokenManager } from '@authwire/core';
import { followRedirects, type OutgoingRequest, requestAuth, setHeaders } from '@authwire/core/kit';
import type { Middleware } from 'openapi-fetch';

declare global {
  interface RequestInit {
    /**
     * `false` sends this openapi-fetch call without a token, e.g. `client.GET('/health',
     * { authwire: false })`. openapi-fetch copies unknown options onto the Request.
     */
    authwire?: boolean;
  }
}

/**
 * A middleware that sends the manager's headers to its origins and, on a 401, fetches a fresh
 * token and sends the request once more through the client's `fetch`. The client keeps its
 * path and response types. Register it last (`withAuth` does) so the Request it sees is final.
 *
 * The retry copy is taken with `Request.clone()`, so a stream body is buffered while it is sent
 * and the retry carries it intact too (unlike the other adapters).
 *
 * @example
 * ```ts
 * const client = createClient<paths>({ baseUrl: 'https://api.example.com' });
 * client.use(authMiddleware(auth));
 * const { data } = await client.GET('/orders/{id}', { params: { path: { id: '42' } } });
 * ```
 */
export function authMiddleware(auth: TokenManager): Middleware {
  const seam = requestAuth(auth);
  const describe = (request: Request, call: Request = request): OutgoingRequest => ({
    method: request.method,
    url: request.url,
    headers: request.headers,
    fetchRequest: request,
    call,
    signal: request.signal,
  });
  // Requests whose token header fetch would carry across origins, sent with redirect 'manual':
  // the request as given (the call the seam knows) and an unsent copy, for core's followRedirects.
  const follows = new WeakMap<Request, { given: Request; copy: Request }>();
  return {
    async onRequest({ request: given }) {
      if ((given as RequestInit).authwire === false) return undefined;
      // At once while a token is cached, fewer of the Request's getters read; a promise only when
      // one is awaited (bench 1b′, callgrind: openapi-fetch).
      const hot = { url: given.url, method: given.method, fetchRequest: given, call: given };
      const headers = seam.cached(hot) ?? (await seam.authorize(describe(given)));
      if (!headers) return undefined;
      const own = seam.fetchWouldLeak(headers) && given.redirect === 'follow';
      const request = own ? new Request(given, { redirect: 'manual' }) : given;
      setHeaders(request.headers, headers);
      if (own) follows.set(request, { given, copy: request.clone() });
      return request;
    },
    async onResponse({ request, response: received, options }) {
      // Unbound, as openapi-fetch itself calls it: `options.fetch(...)` would call the platform's
      // fetch with `options` as `this` (workerd: "Illegal invocation").
      const unbound = options.fetch;
      const send = (next: Request) => unbound(next);
      const own = follows.get(request);
      if (!own && !seam.wants(received.status)) return undefined;
      const response = own ? await followRedirects(seam, send, own.copy, received) : received;
      const changed = response === received ? undefined : response;
      const retry = await seam.onResponse(describe(request, own?.given), response);
      if (!retry?.request) return changed;
      const next = own ? new Request(retry.request, { redirect: 'manual' }) : retry.request;
      const again = own ? next.clone() : undefined;
      const sent = await send(next);
      const second = again ? await followRedirects(seam, send, again, sent) : sent;
      // Only reports a second 401 (`unauthorized_surfaced`): this request was retried already.
      await seam.onResponse({ ...describe(request, own?.given), headers: next.headers }, second);
      return second;
    },
  };
}

/**
 * Adds {@link authMiddleware} to `client` and returns the same client, types unchanged.
 *
 * @example
 * ```ts
 * const client = withAuth(createClient<paths>({ baseUrl: 'https://api.example.com' }), auth);
 * await client.GET('/health', { authwire: false });
 * ```
 */
export function withAuth<C extends { use(...middleware: Middleware[]): void }>(
  client: C,
  auth: TokenManager,
): C {
  client.use(authMiddleware(auth));
  return client;
}
