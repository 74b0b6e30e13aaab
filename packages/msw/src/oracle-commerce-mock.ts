// The Oracle Commerce Cloud mock: app-key login, refresh, logout, verify, protected orders, echo.
import { type HttpHandler, HttpResponse, http } from 'msw/http';
import { runApiCall } from './api-call.ts';
import { ECHO_PATH, echoResponse } from './echo.ts';
import { makeOracleApplicationKey } from './jwt.ts';
import { MockController } from './mock-control.ts';
import {
  ORACLE_API_FAMILIES,
  ORACLE_MOCK_ERROR_CODES,
  type OracleApiFamily,
  type OracleAuthContext,
  type OracleCommerceCounters,
  type OracleCommerceMockControl,
  type OracleIssuedToken,
  oracleError,
  oracleLoginResolver,
  oracleLogoutResolver,
  oracleRefreshResolver,
  oracleVerifyResolver,
} from './oracle-commerce-auth.ts';

/**
 * Options of {@link oracleCommerceMock}. Everything has a default.
 *
 * @example
 * ```ts
 * oracleCommerceMock({ applicationKey: makeOracleApplicationKey(), expiresIn: false });
 * ```
 */
export interface OracleCommerceMockOptions {
  /** Any origin; default `https://example-admin.occa.ocs.oraclecloud.com`. */
  readonly baseUrl?: string;
  /** Application keys that may log in; default one fresh key (see `applicationKeys` on the mock). */
  readonly applicationKeys?: readonly string[];
  readonly applicationKey?: string;
  /** Token lifetime in seconds; default 300 (app-key tokens expire after 5 minutes, 17.12 docs). */
  readonly tokenLifetime?: number;
  /** Include `expires_in` like newer tenants (default true); false answers only `{ access_token, token_type }`. */
  readonly expiresIn?: boolean;
  /** Clock in ms; default `Date.now`. Drives expiry and JWT `iat`/`exp`. */
  readonly now?: () => number;
  /**
   * Whether `POST …/refresh` revokes the token it replaces (default `true`, the pessimistic case).
   *
   * Documented (docs.oracle.com, "Refresh an access token"): `/refresh` takes the current access
   * token as the bearer, returns a new one and "restarts the clock". Not documented: whether the
   * token it replaces keeps working until its own `exp`. `true` (default): the old token answers
   * 401 on every API from the moment the refresh is processed, so requests already on the wire
   * with it fail — the case a client must survive. `false`: the old token stays valid until its
   * own expiry (inferred from how JWT access tokens usually behave; unconfirmed for Oracle).
   * Either way a refresh needs a token that is valid when the server reads it: an expired,
   * revoked or unknown one answers 401 (inferred, like every refusal body here).
   */
  readonly refreshRevokesPrevious?: boolean;
}

/** What {@link oracleCommerceMock} returns. */
export interface OracleCommerceMock {
  /** MSW handlers: pass them to `setupServer(...)` or `serveMock`. */
  readonly handlers: HttpHandler[];
  readonly control: OracleCommerceMockControl;
  /** The admin login URL, `{apiOrigin}/ccadmin/v1/login`. */
  readonly tokenUrl: string;
  readonly apiOrigin: string;
  /** `{apiOrigin}/__authwire/echo` — test-only; any family's valid token is accepted. */
  readonly echoUrl: string;
  readonly applicationKeys: readonly string[];
  /** `{apiOrigin}/{family}/v1/{action}`. */
  url(family: OracleApiFamily, action: 'login' | 'refresh' | 'logout' | 'verify'): string;
}

// Decision: a token works only on the API it was issued for. Store-extension logins
// (/ccapp = admin, /ccappagent = agent; PLATFORMS.md) map onto the admin and agent APIs.
const API_OF_FAMILY: Record<OracleApiFamily, 'ccadmin' | 'ccagent'> = {
  ccadmin: 'ccadmin',
  ccapp: 'ccadmin',
  ccagent: 'ccagent',
  ccappagent: 'ccagent',
};

// Inferred: a 401 follows Oracle's error model with "status": "401" (errorCode unpublished).
function unauthorized(): Response {
  return oracleError(401, ORACLE_MOCK_ERROR_CODES.invalidToken, 'Invalid or expired access token.');
}

const ORDERS = [
  { id: 'o10001', state: 'SUBMITTED', priceInfo: { total: 42, currencyCode: 'USD' } },
  { id: 'o10002', state: 'PROCESSING', priceInfo: { total: 7.5, currencyCode: 'USD' } },
];

/**
 * A faithful MSW mock of an Oracle Commerce Cloud tenant: application-key login for every API
 * family, refresh, logout, verify, and protected sample endpoints.
 *
 * @example
 * ```ts
 * const occ = oracleCommerceMock();
 * const server = setupServer(...occ.handlers);
 * server.listen({ onUnhandledFrame: 'error' });
 * // POST occ.tokenUrl with `Authorization: Bearer ${occ.applicationKeys[0]}`
 * ```
 */
export function oracleCommerceMock(options: OracleCommerceMockOptions = {}): OracleCommerceMock {
  const now = options.now ?? Date.now;
  const apiOrigin = (options.baseUrl ?? 'https://example-admin.occa.ocs.oraclecloud.com').replace(
    /\/+$/,
    '',
  );
  const applicationKeys = options.applicationKeys ?? [
    options.applicationKey ?? makeOracleApplicationKey({ issuedAt: now() }),
  ];
  const controller = new MockController<OracleIssuedToken, OracleCommerceCounters>(
    { now, tokenLifetimeSeconds: options.tokenLifetime ?? 300 },
    () => ({
      tokenEndpointCalls: 0,
      tokensIssued: 0,
      tokenEndpoint429s: 0,
      apiCalls: 0,
      api401s: 0,
      api429s: 0,
      logins: 0,
      refreshes: 0,
      logouts: 0,
      verifies: 0,
      tokenErrors: 0,
    }),
  );
  const context: OracleAuthContext = {
    controller,
    applicationKeys,
    includeExpiresIn: options.expiresIn ?? true,
    refreshRevokesPrevious: options.refreshRevokesPrevious ?? true,
  };
  const url = (family: OracleApiFamily, action: string): string =>
    `${apiOrigin}/${family}/v1/${action}`;

  const api =
    (
      apiName: 'ccadmin' | 'ccagent' | undefined,
      respond: (request: Request) => Promise<Response> | Response,
    ) =>
    ({ request }: { request: Request }): Promise<Response> =>
      runApiCall(controller, request, {
        unauthorized,
        authorize: (token) =>
          apiName === undefined || API_OF_FAMILY[token.family] === apiName
            ? undefined
            : unauthorized(),
        respond: (_token, req) => respond(req),
      });

  const orders = (): Response =>
    // Oracle's list envelope: total, totalResults, offset, limit, items.
    HttpResponse.json({
      total: ORDERS.length,
      totalResults: ORDERS.length,
      offset: 0,
      limit: 250,
      items: ORDERS,
    });

  const handlers: HttpHandler[] = [
    ...ORACLE_API_FAMILIES.flatMap((family) => [
      http.post(url(family, 'login'), oracleLoginResolver(context, family)),
      http.post(url(family, 'refresh'), oracleRefreshResolver(context, family)),
      http.post(url(family, 'logout'), oracleLogoutResolver(context, family)),
      http.post(url(family, 'verify'), oracleVerifyResolver(context, family)),
    ]),
    http.get(`${apiOrigin}/ccadmin/v1/orders`, api('ccadmin', orders)),
    http.get(`${apiOrigin}/ccagent/v1/orders`, api('ccagent', orders)),
    http.all(`${apiOrigin}${ECHO_PATH}`, api(undefined, echoResponse)),
  ];

  return {
    handlers,
    control: controller,
    tokenUrl: url('ccadmin', 'login'),
    apiOrigin,
    echoUrl: `${apiOrigin}${ECHO_PATH}`,
    applicationKeys,
    url,
  };
}
