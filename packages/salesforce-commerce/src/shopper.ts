// SLAS client credentials for a private client (Shopper APIs): options, provider and preset.
import { clientCredentials, type TokenManager, type TokenManagerOptions } from '@authwire/core';
import {
  concealSecrets,
  credential,
  invalidOption,
  labelOf,
  matching,
  overrideUrl,
  presetManager,
  type RateLimit,
  type TokenProvider,
} from '@authwire/core/kit';
import { apiOriginOf, shortCodeOf, tenantIdOf } from './checks.ts';

/** Options of {@link salesforceShopperProvider}. */
export interface SalesforceShopperProviderOptions {
  /** The SLAS private client's id (SLAS Admin UI). */
  readonly clientId: string;
  /** Its secret; never logged, never in an error or the cache key. */
  readonly clientSecret: string;
  /** The short code: `{shortCode}.api.commercecloud.salesforce.com` serves SLAS and the Shopper APIs. */
  readonly shortCode: string;
  /** The instance, e.g. `zzrf_001`; the organization id is `f_ecom_{tenantId}`. */
  readonly tenantId: string;
  /** The site, sent as `channel_id` (SLAS best practices: becoming required). */
  readonly siteId: string;
  /**
   * The SLAS token-request quota of this client, per minute, declared as the manager's rate
   * limit (Salesforce sets it per client and tenant and adjusts it per customer: use the number
   * your contract or the "Load Shedding and Rate Limiting" page gives). Omitted: none is declared,
   * and a 429's `Retry-After` is still honoured.
   */
  readonly tokenRequestsPerMinute?: number;
  /** Token endpoint override (proxies, tests). HTTPS, or http to a loopback host. */
  readonly tokenUrl?: string;
  /** API origin override (proxies, tests). HTTPS, or http to a loopback host. */
  readonly baseUrl?: string;
}

/** Options of {@link salesforceShopper}: the provider's plus the token manager's. */
export interface SalesforceShopperOptions
  extends SalesforceShopperProviderOptions,
    Omit<TokenManagerOptions, 'origins'> {}

const SHOPPER_OPTIONS: readonly (keyof SalesforceShopperProviderOptions)[] = [
  'clientId',
  'clientSecret',
  'shortCode',
  'tenantId',
  'siteId',
  'tokenRequestsPerMinute',
  'tokenUrl',
  'baseUrl',
];

/** A {@link TokenProvider} for SLAS, with the settled URLs. */
export interface SalesforceShopperProvider extends TokenProvider {
  readonly origins: readonly string[];
  readonly tokenUrl: string;
  /** `https://{shortCode}.api.commercecloud.salesforce.com`. */
  readonly baseUrl: string;
  readonly organizationId: string;
  readonly siteId: string;
}

/** A token manager for the SCAPI Shopper APIs. */
export interface SalesforceShopperTokenManager extends TokenManager {
  readonly tokenUrl: string;
  readonly baseUrl: string;
  readonly organizationId: string;
  readonly siteId: string;
}

/**
 * Builds the SLAS private-client provider (client credentials, HTTP Basic, `channel_id`). Most
 * users want {@link salesforceShopper}.
 *
 * @example
 * ```ts
 * const provider = salesforceShopperProvider({ clientId, clientSecret, shortCode: 'kv7kzm78', tenantId: 'zzrf_001', siteId: 'RefArch' });
 * ```
 */
export function salesforceShopperProvider(
  options: SalesforceShopperProviderOptions,
): SalesforceShopperProvider {
  if (typeof options !== 'object' || options === null)
    invalidOption('options', 'must be an object');
  const clientId = credential('clientId', options.clientId);
  const clientSecret = credential('clientSecret', options.clientSecret);
  const shortCode = shortCodeOf(options.shortCode);
  const organizationId = `f_ecom_${tenantIdOf(options.tenantId)}`;
  const siteId = matching(
    'siteId',
    options.siteId,
    /^[A-Za-z0-9_-]{1,64}$/,
    "a site id, e.g. 'RefArch'",
  );
  const perMinute = options.tokenRequestsPerMinute;
  if (
    perMinute !== undefined &&
    !(Number.isInteger(perMinute) && perMinute > 0 && perMinute <= 1_000_000)
  ) {
    invalidOption('tokenRequestsPerMinute', 'must be a positive integer');
  }
  const apiOrigin = apiOriginOf(shortCode);
  // developer.salesforce.com, SLAS API reference: `/shopper/auth/v1/organizations/{organizationId}/oauth2/token`
  // on the short code's host.
  const tokenUrl =
    options.tokenUrl === undefined
      ? `${apiOrigin}/shopper/auth/v1/organizations/${organizationId}/oauth2/token`
      : overrideUrl('tokenUrl', options.tokenUrl).href;
  const baseUrl =
    options.baseUrl === undefined ? apiOrigin : overrideUrl('baseUrl', options.baseUrl).origin;
  // "Private SLAS Client Use Cases" (guest): grant_type=client_credentials with the client's id
  // and secret in HTTP Basic, and channel_id. The refresh token SLAS also returns is not kept:
  // a private client asks again with its secret.
  const base = clientCredentials({
    tokenUrl,
    clientId,
    clientSecret,
    authMethod: 'client_secret_basic',
    extraParams: { channel_id: siteId },
  });
  const rateLimit: RateLimit | undefined =
    perMinute === undefined
      ? undefined
      : Object.freeze({
          requests: perMinute,
          intervalMs: 60_000,
          key: `slas|${tokenUrl}|${clientId}`,
        });
  const provider = {
    fetchToken: base.fetchToken,
    key: ['salesforce-shopper', encodeURIComponent(siteId), base.key].join('|'),
    label: labelOf('salesforce-shopper', tokenUrl),
    origins: Object.freeze([baseUrl]),
    // SLAS answers token_type "BEARER" (any case is Bearer: RFC 6750).
    ...(rateLimit ? { rateLimit } : {}),
    tokenUrl,
    baseUrl,
    organizationId,
    siteId,
  };
  return concealSecrets<SalesforceShopperProvider>(provider as SalesforceShopperProvider, [
    ...(base.secrets ?? [clientSecret]),
  ]);
}

/**
 * A token manager for the SCAPI Shopper APIs through a SLAS private client's guest token.
 *
 * @example
 * ```ts
 * const shopper = salesforceShopper({
 *   clientId: process.env.SLAS_CLIENT_ID!,
 *   clientSecret: process.env.SLAS_CLIENT_SECRET!,
 *   shortCode: 'kv7kzm78',
 *   tenantId: 'zzrf_001',
 *   siteId: 'RefArch',
 * });
 * ```
 */
export function salesforceShopper(
  options: SalesforceShopperOptions,
): SalesforceShopperTokenManager {
  return presetManager('salesforceShopper()', salesforceShopperProvider, options, SHOPPER_OPTIONS, [
    'tokenUrl',
    'baseUrl',
    'organizationId',
    'siteId',
  ]);
}
