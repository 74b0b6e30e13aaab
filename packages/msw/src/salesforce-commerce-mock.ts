// The Salesforce B2C Commerce mocks: Account Manager (Admin APIs) and SLAS for a private client (Shopper APIs).
import { HttpResponse } from 'msw/http';
import type { OAuthErrorCode } from './client-credentials-endpoint.ts';
import {
  type ClientCredentialsMock,
  type ClientCredentialsMockOptions,
  clientCredentialsMock,
} from './client-credentials-mock.ts';
import { makeFakeJwt, newTokenId } from './jwt.ts';

/**
 * Options of {@link salesforceAdminMock} and {@link salesforceShopperMock}.
 *
 * @example
 * ```ts
 * salesforceShopperMock({ shortCode: 'kv7kzm78', tenantId: 'zzrf_001', siteId: 'RefArch' });
 * ```
 */
export interface SalesforceCommerceMockOptions extends ClientCredentialsMockOptions {
  readonly shortCode?: string;
  /** The instance, e.g. `zzrf_001`; the organization id is `f_ecom_{tenantId}`. */
  readonly tenantId?: string;
}

/** Defaults of the Salesforce mocks. */
export const SALESFORCE_MOCK_DEFAULTS: {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly shortCode: string;
  readonly tenantId: string;
  readonly siteId: string;
} = {
  clientId: 'authwire-sfcc-client',
  clientSecret: 'authwire-sfcc-secret',
  shortCode: 'kv7kzm78',
  tenantId: 'zzrf_001',
  siteId: 'RefArch',
};

/** docs: Account Manager's token endpoint (one host for every tenant). */
export const ACCOUNT_MANAGER_TOKEN_URL = 'https://account.demandware.com/dwsso/oauth2/access_token';

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  unsupported_grant_type: 400,
  invalid_scope: 400,
};

// Inferred: both token services answer RFC 6749 §5.2 error bodies.
function oauthError(code: OAuthErrorCode, description: string): Response {
  return HttpResponse.json(
    { error: code, error_description: description },
    { status: STATUS[code] },
  );
}

// developer.salesforce.com, SCAPI "Status codes and errors": RFC 7807 problem details.
function unauthorized(): Response {
  return HttpResponse.json(
    {
      title: 'Unauthorized',
      type: 'https://api.commercecloud.salesforce.com/documentation/error/v1/errors/unauthorized',
      detail: 'Your access token is invalid or expired and can’t be used to identify a user.',
    },
    { status: 401 },
  );
}

const apiOriginOf = (shortCode: string) => `https://${shortCode}.api.commercecloud.salesforce.com`;

function jwt(
  issuer: string,
  issued: { jti: string; clientId: string; scope: string; issuedAt: number; expiresAt: number },
): string {
  return makeFakeJwt({
    iss: issuer,
    sub: issued.clientId,
    jti: issued.jti,
    scope: issued.scope,
    iat: Math.floor(issued.issuedAt / 1000),
    exp: Math.floor(issued.expiresAt / 1000),
  });
}

/**
 * Account Manager's client-credentials endpoint (`https://account.demandware.com/dwsso/oauth2/access_token`,
 * 1799 s tokens, scope `SALESFORCE_COMMERCE_API:{tenantId}` plus `sfcc.*` scopes) and a SCAPI
 * Admin API on the short code's host.
 *
 * @example
 * ```ts
 * const admin = salesforceAdminMock({ tenantId: 'zzrf_001' });
 * ```
 */
export function salesforceAdminMock(
  options: SalesforceCommerceMockOptions = {},
): ClientCredentialsMock {
  const shortCode = options.shortCode ?? SALESFORCE_MOCK_DEFAULTS.shortCode;
  const tenantId = options.tenantId ?? SALESFORCE_MOCK_DEFAULTS.tenantId;
  const tenantScope = `SALESFORCE_COMMERCE_API:${tenantId}`;
  return clientCredentialsMock(options, {
    tokenUrl: ACCOUNT_MANAGER_TOKEN_URL,
    apiOrigin: apiOriginOf(shortCode),
    defaults: SALESFORCE_MOCK_DEFAULTS,
    lifetimeSeconds: 1799,
    shape: {
      clientAuth: 'either',
      error: oauthError,
      acceptsScope: (scope) => scope === tenantScope || /^sfcc\.[a-z0-9.-]+$/.test(scope),
      // No default: a SCAPI Admin token needs the tenant scope, asked for explicitly.
      accessToken: (issued) => jwt('https://account.demandware.com:443/dwsso/oauth2', issued),
      tokenType: 'Bearer',
    },
    unauthorized,
    routes: [
      {
        method: 'get',
        path: `/checkout/orders/v1/organizations/f_ecom_${tenantId}/orders`,
        body: () => ({ limit: 10, offset: 0, total: 0, data: [] }),
      },
    ],
  });
}

/**
 * SLAS for a private client: `POST https://{shortCode}.api.commercecloud.salesforce.com/shopper/auth/v1/organizations/{organizationId}/oauth2/token`
 * with HTTP Basic client authentication, `grant_type=client_credentials` and a required
 * `channel_id`; 1800 s guest tokens; Shopper APIs on the same host.
 *
 * @example
 * ```ts
 * const shopper = salesforceShopperMock({ rateLimit: { perMinute: 60, burst: 0 } });
 * ```
 */
export function salesforceShopperMock(
  options: SalesforceCommerceMockOptions = {},
): ClientCredentialsMock {
  const shortCode = options.shortCode ?? SALESFORCE_MOCK_DEFAULTS.shortCode;
  const tenantId = options.tenantId ?? SALESFORCE_MOCK_DEFAULTS.tenantId;
  const organizationId = `f_ecom_${tenantId}`;
  const apiOrigin = apiOriginOf(shortCode);
  return clientCredentialsMock(options, {
    tokenUrl: `${apiOrigin}/shopper/auth/v1/organizations/${organizationId}/oauth2/token`,
    apiOrigin,
    defaults: SALESFORCE_MOCK_DEFAULTS,
    lifetimeSeconds: 1800,
    shape: {
      clientAuth: 'basic',
      error: oauthError,
      requiredParams: ['channel_id'],
      acceptsScope: (scope) => /^(sfcc\.[a-z0-9.-]+|c_[A-Za-z0-9_]+)$/.test(scope),
      defaultScope: (client) => client.scopes?.join(' ') ?? 'sfcc.shopper-products',
      accessToken: (issued) => jwt(`slas/prod/${organizationId}`, issued),
      tokenType: 'BEARER',
      // A guest session: SLAS answers with a refresh token and shopper ids as well.
      extraFields: () => ({
        refresh_token: newTokenId(),
        refresh_token_expires_in: 2_592_000,
        usid: newTokenId(),
        customer_id: newTokenId().replace(/-/g, ''),
        enc_user_id: '',
        idp_access_token: null,
      }),
    },
    unauthorized,
    routes: [
      {
        method: 'get',
        path: `/product/shopper-products/v1/organizations/${organizationId}/products`,
        body: () => ({ limit: 0, total: 0, data: [] }),
      },
    ],
  });
}
