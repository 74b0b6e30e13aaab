// openapi-fetch adapter: a middleware that attaches the manager's headers and heals one 401.
import { type Authorization, assertTokenManager, type TokenManager } from '@authwire/core';
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

interface Call {
  authorization: Authorization;
  /** An unsent copy for the one retry: a middleware cannot send through the chain again. */
  spare: Request;
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
  const calls = new WeakMap<Request, Call>();
  return {
    async onRequest({ request }) {
      if ((request as RequestInit).authwire === false || !auth.allows(request.url))
        return undefined;
      const authorization = await auth.authorize(request.url, { signal: request.signal });
      if (!authorization) return undefined;
      for (const [name, value] of Object.entries(authorization.headers)) {
        request.headers.set(name, value);
      }
      // Without a body the Request itself can be sent again; only a body needs a copy.
      calls.set(request, {
        authorization,
        spare: request.body === null ? request : request.clone(),
      });
      return request;
    },
    async onResponse({ request, response, options }) {
      const call = calls.get(request);
      calls.delete(request);
      if (response.status !== 401 || !call) return undefined;
      const { token } = call.authorization;
      const fresh = await auth.reauthorize(request.url, token, { signal: request.signal });
      if (!fresh) return undefined;
      for (const [name, value] of Object.entries(fresh.headers)) {
        call.spare.headers.set(name, value);
      }
      return options.fetch(call.spare);
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
