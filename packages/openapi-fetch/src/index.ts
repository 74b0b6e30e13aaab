// openapi-fetch adapter: a middleware that attaches the manager's headers and heals one 401.
import {
  type Authorization,
  assertTokenManager,
  sentHeaders,
  type TokenManager,
} from '@authwire/core';
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

function setHeaders(request: Request, { headers }: Authorization): void {
  for (const name in headers) request.headers.set(name, headers[name] as string);
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
  assertTokenManager(auth);
  const sent = sentHeaders();
  // An unsent copy of each request with a body, for the one retry: a middleware cannot send
  // through the chain again. A request without a body can itself be sent again.
  const spares = new WeakMap<Request, Request>();
  const attach = (request: Request, authorization: Authorization | undefined) => {
    if (!authorization) return undefined;
    sent.remember(authorization);
    setHeaders(request, authorization);
    if (request.body !== null) spares.set(request, request.clone());
    return request;
  };
  return {
    onRequest({ request }) {
      if ((request as RequestInit).authwire === false) return undefined;
      const url = request.url;
      // A cached token is attached without waiting; otherwise wait for one.
      const ready = auth.peek(url);
      if (ready) return attach(request, ready);
      if (!auth.allows(url)) return undefined;
      return auth
        .authorize(url, { signal: request.signal })
        .then((fresh) => attach(request, fresh));
    },
    async onResponse({ request, response, options }) {
      if (response.status !== 401) return undefined;
      const authorization = sent.find(request.headers.get('Authorization'));
      if (!authorization) return undefined;
      const spare = spares.get(request) ?? request;
      spares.delete(request);
      const fresh = await auth.reauthorize(request.url, authorization.token, {
        signal: request.signal,
      });
      if (!fresh) return undefined;
      setHeaders(spare, fresh);
      return options.fetch(spare);
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
