// openapi-fetch adapter: a middleware that maps openapi-fetch onto core's request seam (attach, heal one 401).
import type { TokenManager } from '@authwire/core';
import { type OutgoingRequest, requestAuth, setHeaders } from '@authwire/core/kit';
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
  const describe = (request: Request): OutgoingRequest => ({
    method: request.method,
    url: request.url,
    headers: request.headers,
    fetchRequest: request,
    call: request,
    signal: request.signal,
  });
  return {
    async onRequest({ request }) {
      if ((request as RequestInit).authwire === false) return undefined;
      const headers = await seam.authorize(describe(request));
      if (!headers) return undefined;
      setHeaders(request.headers, headers);
      return request;
    },
    async onResponse({ request, response, options }) {
      const retry = await seam.onResponse(describe(request), response);
      if (!retry?.request) return undefined;
      // Unbound, as openapi-fetch itself calls it: `options.fetch(...)` would call the platform's
      // fetch with `options` as `this` (workerd: "Illegal invocation").
      const send = options.fetch;
      const second = await send(retry.request);
      // Only reports a second 401 (`unauthorized_surfaced`): this request was retried already.
      await seam.onResponse({ ...describe(request), headers: retry.request.headers }, second);
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
