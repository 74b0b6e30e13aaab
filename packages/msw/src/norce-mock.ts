// The Norce Commerce mock: identity token endpoint + a few protected services + echo.
import { type HttpHandler, HttpResponse, http } from 'msw/http';
import { runApiCall } from './api-call.ts';
import { ECHO_PATH, echoResponse } from './echo.ts';
import { MockController, type TokenCheck } from './mock-control.ts';
import {
  type NorceClient,
  type NorceCounters,
  type NorceIssuedToken,
  type NorceMockControl,
  norceTokenResolver,
} from './norce-token-endpoint.ts';
import {
  type NorceLocation,
  norceAcceptedScopes,
  norceApiOrigin,
  norceTokenUrl,
} from './norce-urls.ts';
import { type RateLimitOptions, TokenBucketLimiter } from './rate-limit.ts';

/**
 * Options of {@link norceMock}. Everything has a default.
 *
 * @example
 * ```ts
 * norceMock({ clientName: 'acme', environment: 'stage', clientId: 'id', clientSecret: 'secret' });
 * ```
 */
export interface NorceMockOptions extends NorceLocation {
  /** Integration users; default one user from `clientId` / `clientSecret` / `applicationIds`. */
  readonly clients?: readonly NorceClient[];
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly applicationIds?: readonly number[];
  /** Token lifetime in seconds; default 3600 (docs.norce.io; the seed's example shows 600). */
  readonly tokenLifetime?: number;
  /**
   * Token-endpoint rate limit, per client IP; default `{ perMinute: 3, burst: 20 }` as documented.
   * `{ perSecond: 3, burst: 20 }` runs the same shape 60× faster; `nat: true` puts every caller
   * on one IP (a fleet behind one egress IP). See {@link RateLimitOptions}.
   */
  readonly rateLimit?: RateLimitOptions | false;
  /** Accepted application-id header names; default `ApplicationId` and `application-id`. */
  readonly applicationIdHeader?: string | readonly string[];
  /** Scope spellings the identity server accepts; default per environment (`norceAcceptedScopes`). */
  readonly acceptedScopes?: readonly string[];
  /** Clock in ms; default `Date.now`. Drives expiry, JWT `iat`/`exp` and the rate limit. */
  readonly now?: () => number;
}

/** What {@link norceMock} returns. */
export interface NorceMock {
  /** MSW handlers: pass them to `setupServer(...)` or `serveMock`. */
  readonly handlers: HttpHandler[];
  readonly control: NorceMockControl;
  readonly tokenUrl: string;
  /** Origin of the services (`/commerce/...`) and of the echo endpoint. */
  readonly apiOrigin: string;
  /** `{apiOrigin}/__authwire/echo` — test-only, protected like the services. */
  readonly echoUrl: string;
  readonly clients: readonly NorceClient[];
}

/** Default credentials of the single default integration user. */
export const NORCE_MOCK_DEFAULTS: {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly applicationId: number;
} = { clientId: 'authwire-demo-client', clientSecret: 'authwire-demo-secret', applicationId: 1234 };

// Inferred: the services sit behind ASP.NET bearer authentication, which answers 401 with
// WWW-Authenticate (RFC 6750 §3: no error code when no token was sent). Unconfirmed by Norce.
function unauthorized(state: TokenCheck): Response {
  const challenge =
    state === 'missing'
      ? 'Bearer'
      : state === 'expired'
        ? 'Bearer error="invalid_token", error_description="The token expired"'
        : 'Bearer error="invalid_token"';
  return new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': challenge } });
}

// Decision (undocumented): a missing or non-numeric application id is a malformed request (400),
// an id the user may not use is forbidden (403) — neither is a 401, so clients do not refresh
// a perfectly good token over it. Body in ASP.NET Web API's `{ Message }` style (inferred).
function applicationError(status: 400 | 403, message: string): Response {
  return HttpResponse.json({ Message: message }, { status });
}

/**
 * A faithful MSW mock of a Norce Commerce tenant: the identity token endpoint (client credentials,
 * scope per environment, rate limit) and protected services that need a Bearer token and the
 * `ApplicationId` header.
 *
 * @example
 * ```ts
 * const norce = norceMock({ environment: 'playground' });
 * const server = setupServer(...norce.handlers);
 * server.listen({ onUnhandledFrame: 'error' });
 * ```
 */
export function norceMock(options: NorceMockOptions = {}): NorceMock {
  const now = options.now ?? Date.now;
  const environment = options.environment ?? 'playground';
  const clients: readonly NorceClient[] = options.clients ?? [
    {
      clientId: options.clientId ?? NORCE_MOCK_DEFAULTS.clientId,
      clientSecret: options.clientSecret ?? NORCE_MOCK_DEFAULTS.clientSecret,
      ...(options.applicationIds ? { applicationIds: options.applicationIds } : {}),
    },
  ];
  const tokenUrl = norceTokenUrl(options);
  const apiOrigin = norceApiOrigin(options);
  const headerNames =
    typeof options.applicationIdHeader === 'string'
      ? [options.applicationIdHeader]
      : (options.applicationIdHeader ?? ['ApplicationId', 'application-id']);
  const limiter =
    options.rateLimit === false
      ? undefined
      : new TokenBucketLimiter(options.rateLimit ?? { perMinute: 3, burst: 20 }, now);

  const controller = new MockController<NorceIssuedToken, NorceCounters>(
    { now, tokenLifetimeSeconds: options.tokenLifetime ?? 3600 },
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

  const checkApplication = (token: NorceIssuedToken, request: Request): Response | undefined => {
    const raw = headerNames.map((name) => request.headers.get(name)).find((v) => v !== null);
    const value = raw?.trim();
    if (!value || !/^\d+$/.test(value)) {
      return applicationError(400, `Missing or non-numeric ${headerNames[0]} header.`);
    }
    const client = clients.find((c) => c.clientId === token.clientId);
    if (client?.applicationIds && !client.applicationIds.includes(Number(value))) {
      return applicationError(403, `Application ${value} is not allowed for this client.`);
    }
    return undefined;
  };

  const api =
    (respond: (request: Request) => Response | Promise<Response>) =>
    ({ request }: { request: Request }): Promise<Response> =>
      runApiCall(controller, request, {
        unauthorized,
        authorize: checkApplication,
        respond: (_token, req) => respond(req),
      });

  const handlers: HttpHandler[] = [
    http.all(
      tokenUrl,
      norceTokenResolver({
        controller,
        clients,
        acceptedScopes: options.acceptedScopes ?? norceAcceptedScopes(environment, options.storm),
        limiter,
        issuer: options.storm ? 'https://identity.storm.io/1.0/' : `${apiOrigin}/identity/1.0/`,
      }),
    ),
    // Sample request from the docs: GET commerce/metadata/1.1/GetApplication?format=json.
    // The body is an abbreviated sample, not Norce's full Application type.
    http.get(
      `${apiOrigin}/commerce/metadata/1.1/GetApplication`,
      api((request) => {
        const id = Number(headerNames.map((n) => request.headers.get(n)).find((v) => v !== null));
        return HttpResponse.json({ ApplicationId: id, Name: options.clientName ?? 'demo' });
      }),
    ),
    http.get(
      `${apiOrigin}/commerce/product/1.1/ListProducts`,
      api(() =>
        HttpResponse.json({
          ItemCount: 2,
          Items: [
            { Id: 1, PartNo: 'AW-1', Name: 'Token' },
            { Id: 2, PartNo: 'AW-2', Name: 'Refresh' },
          ],
        }),
      ),
    ),
    http.all(`${apiOrigin}${ECHO_PATH}`, api(echoResponse)),
  ];

  return {
    handlers,
    control: controller,
    tokenUrl,
    apiOrigin,
    echoUrl: `${apiOrigin}${ECHO_PATH}`,
    clients,
  };
}
