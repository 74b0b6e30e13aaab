// Assembles a client-credentials platform mock: controller, token endpoint, protected API routes, echo.
import { type HttpHandler, http } from 'msw/http';
import { runApiCall } from './api-call.ts';
import {
  type ClientCredentialsCounters,
  type ClientCredentialsMockControl,
  type ClientIssuedToken,
  clientCredentialsResolver,
  type EndpointShape,
  type MockClient,
} from './client-credentials-endpoint.ts';
import { ECHO_PATH, echoResponse } from './echo.ts';
import { MockController, type TokenCheck } from './mock-control.ts';
import { type RateLimitOptions, TokenBucketLimiter } from './rate-limit.ts';

/** Options every client-credentials mock takes. Everything has a default. */
export interface ClientCredentialsMockOptions {
  /** API clients; default one from `clientId` / `clientSecret`. */
  readonly clients?: readonly MockClient[];
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Token lifetime in seconds; default per platform. */
  readonly tokenLifetime?: number;
  /** A token-endpoint rate limit (per client IP, or `nat: true`); default per platform. */
  readonly rateLimit?: RateLimitOptions | false;
  /** Clock in ms; default `Date.now`. */
  readonly now?: () => number;
}

/** What every client-credentials mock returns. */
export interface ClientCredentialsMock {
  /** MSW handlers: pass them to `setupServer(...)` or `serveMock`. */
  readonly handlers: HttpHandler[];
  readonly control: ClientCredentialsMockControl;
  readonly tokenUrl: string;
  /** Origin of the protected API and of the echo endpoint. */
  readonly apiOrigin: string;
  /** `{apiOrigin}/__authwire/echo` — test-only, protected like the API. */
  readonly echoUrl: string;
  readonly clients: readonly MockClient[];
}

/** A protected route: method, path on the API origin, and the JSON it answers. */
export interface ApiRoute {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly body: (token: ClientIssuedToken, request: Request) => unknown;
}

export interface PlatformParts {
  readonly tokenUrl: string;
  readonly apiOrigin: string;
  readonly defaults: { readonly clientId: string; readonly clientSecret: string };
  readonly lifetimeSeconds: number;
  readonly rateLimit?: RateLimitOptions;
  readonly shape: EndpointShape;
  readonly unauthorized: (state: TokenCheck) => Response;
  readonly tokenOf?: (request: Request) => string | null;
  readonly routes: readonly ApiRoute[];
}

export function clientCredentialsMock(
  options: ClientCredentialsMockOptions,
  parts: PlatformParts,
): ClientCredentialsMock {
  const now = options.now ?? Date.now;
  const clients = options.clients ?? [
    {
      clientId: options.clientId ?? parts.defaults.clientId,
      clientSecret: options.clientSecret ?? parts.defaults.clientSecret,
    },
  ];
  const rateLimit = options.rateLimit === undefined ? parts.rateLimit : options.rateLimit;
  const limiter = rateLimit ? new TokenBucketLimiter(rateLimit, now) : undefined;
  const controller = new MockController<ClientIssuedToken, ClientCredentialsCounters>(
    { now, tokenLifetimeSeconds: options.tokenLifetime ?? parts.lifetimeSeconds },
    () => ({
      tokenEndpointCalls: 0,
      tokensIssued: 0,
      tokenEndpoint429s: 0,
      apiCalls: 0,
      api401s: 0,
      api429s: 0,
      tokenRequests: 0,
      tokenErrors: 0,
    }),
    () => limiter?.reset(),
  );
  const api =
    (respond: (token: ClientIssuedToken, request: Request) => Response | Promise<Response>) =>
    ({ request }: { request: Request }) =>
      runApiCall(controller, request, {
        unauthorized: parts.unauthorized,
        ...(parts.tokenOf ? { tokenOf: parts.tokenOf } : {}),
        respond,
      });
  const handlers: HttpHandler[] = [
    http.all(
      parts.tokenUrl,
      clientCredentialsResolver({ controller, clients, limiter, shape: parts.shape }),
    ),
    ...parts.routes.map((route) =>
      http[route.method](
        `${parts.apiOrigin}${route.path}`,
        api((token, request) => Response.json(route.body(token, request))),
      ),
    ),
    http.all(
      `${parts.apiOrigin}${ECHO_PATH}`,
      api((_token, request) => echoResponse(request)),
    ),
  ];
  return {
    handlers,
    control: controller,
    tokenUrl: parts.tokenUrl,
    apiOrigin: parts.apiOrigin,
    echoUrl: `${parts.apiOrigin}${ECHO_PATH}`,
    clients,
  };
}
