// openapi-fetch adapter: a middleware that maps openapi-fetch onto core's request seam (attach, heal one 401).
import type { TokenManager } from '@authwire/core';
import {
  type Authorization,
  followRedirects,
  needsOwnRedirects,
  requestAuth,
  setHeaders,
  tokenValue,
} from '@authwire/core/kit';
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
  // An unsent copy of each request with a body, for the one retry: a middleware cannot send
  // through the chain again. A request without a body can itself be sent again.
  const spares = new WeakMap<Request, Request>();
  // Requests whose credential header fetch would carry across origins (X-Shopify-Access-Token):
  // sent with redirect 'manual', an unsent copy kept to follow the redirects here.
  const following = new WeakMap<Request, Request>();
  const attach = (given: Request, authorization: Authorization | undefined) => {
    if (!authorization) return undefined;
    const own = needsOwnRedirects(authorization) && given.redirect !== 'manual';
    const request = own ? new Request(given, { redirect: 'manual' }) : given;
    setHeaders(request.headers, authorization);
    if (request.body !== null) spares.set(request, request.clone());
    if (own) following.set(request, request.clone());
    return request;
  };
  const follow = async (
    request: Request,
    response: Response,
    send: (r: Request) => Promise<Response>,
  ) => {
    const copy = following.get(request);
    return copy ? followRedirects(seam, send, copy, response) : response;
  };
  return {
    onRequest({ request }) {
      if ((request as RequestInit).authwire === false) return undefined;
      // A cached token is attached without waiting; otherwise wait for one.
      const ready = seam.peek(request.url) ?? seam.headers(request.url, { signal: request.signal });
      return ready instanceof Promise
        ? ready.then((fresh) => attach(request, fresh))
        : attach(request, ready);
    },
    async onResponse({ request, response: received, options }) {
      // Unbound, as openapi-fetch itself calls it: `options.fetch(next)` would call the
      // platform's fetch with `options` as `this` (workerd: "Illegal invocation").
      const unboundFetch = options.fetch;
      const send = (next: Request) => unboundFetch(next);
      const response = await follow(request, received, send);
      if (!seam.mayRetry(response.status)) return response === received ? undefined : response;
      const sent = {
        authorization: request.headers.get(seam.tokenHeader),
        url: request.url,
        replayable: true,
      };
      const decision = seam.retry(request, sent, response, { signal: request.signal });
      const fresh = decision && (await decision);
      if (!fresh) return response === received ? undefined : response;
      const spare = spares.get(request) ?? request;
      spares.delete(request);
      setHeaders(spare.headers, fresh);
      const copy = following.has(request) ? spare.clone() : undefined;
      const sentAgain = await unboundFetch(spare);
      const second = copy ? await followRedirects(seam, send, copy, sentAgain) : sentAgain;
      // Only reports a second 401 (`unauthorized_surfaced`): this request was retried already.
      seam.retry(request, { ...sent, authorization: tokenValue(fresh) }, second);
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
