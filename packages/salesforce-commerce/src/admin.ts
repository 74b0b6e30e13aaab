// Account Manager client credentials for the SCAPI Admin APIs: options, provider and preset.
import { clientCredentials, type TokenManager, type TokenManagerOptions } from '@authwire/core';
import {
  concealSecrets,
  credential,
  invalidOption,
  labelOf,
  overrideUrl,
  presetManager,
  type TokenProvider,
} from '@authwire/core/kit';
import { apiOriginOf, shortCodeOf, tenantIdOf } from './checks.ts';

/** developer.salesforce.com, "Authorization for SCAPI Admin APIs": one Account Manager for every tenant. */
export const ACCOUNT_MANAGER_TOKEN_URL = 'https://account.demandware.com/dwsso/oauth2/access_token';

/** Options of {@link salesforceAdminProvider}. */
export interface SalesforceAdminProviderOptions {
  /** The Account Manager API client's id. */
  readonly clientId: string;
  /** Its password (client secret); never logged, never in an error or the cache key. */
  readonly clientSecret: string;
  /** The instance, e.g. `zzrf_001`: the scope `SALESFORCE_COMMERCE_API:{tenantId}`, org `f_ecom_{tenantId}`. */
  readonly tenantId: string;
  /** The short code of the instance group: the API host `{shortCode}.api.commercecloud.salesforce.com`. */
  readonly shortCode: string;
  /** The `sfcc.*` scopes of the API families to call, e.g. `['sfcc.orders', 'sfcc.products.rw']`. */
  readonly scopes: readonly string[];
  /** Token endpoint override (proxies, tests). HTTPS, or http to a loopback host. */
  readonly tokenUrl?: string;
  /** API origin override (proxies, tests). HTTPS, or http to a loopback host. */
  readonly baseUrl?: string;
}

/** Options of {@link salesforceAdmin}: the provider's plus the token manager's. */
export interface SalesforceAdminOptions
  extends SalesforceAdminProviderOptions,
    Omit<TokenManagerOptions, 'origins'> {}

const ADMIN_OPTIONS: readonly (keyof SalesforceAdminProviderOptions)[] = [
  'clientId',
  'clientSecret',
  'tenantId',
  'shortCode',
  'scopes',
  'tokenUrl',
  'baseUrl',
];

/** A {@link TokenProvider} for Account Manager, with the settled URLs and scope. */
export interface SalesforceAdminProvider extends TokenProvider {
  readonly origins: readonly string[];
  readonly tokenUrl: string;
  /** `https://{shortCode}.api.commercecloud.salesforce.com`. */
  readonly baseUrl: string;
  readonly tenantId: string;
  /** `f_ecom_{tenantId}`: the `{organizationId}` of SCAPI paths. */
  readonly organizationId: string;
  readonly scope: string;
}

/** A token manager for the SCAPI Admin APIs. */
export interface SalesforceAdminTokenManager extends TokenManager {
  readonly tokenUrl: string;
  readonly baseUrl: string;
  readonly tenantId: string;
  readonly organizationId: string;
  readonly scope: string;
}

function adminScopes(value: unknown): readonly string[] {
  const ok =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((s) => typeof s === 'string' && /^sfcc\.[a-z0-9.-]+$/.test(s));
  return ok ? value : invalidOption('scopes', "must list sfcc.* scopes, e.g. ['sfcc.orders']");
}

/**
 * Builds the Account Manager provider (client credentials, HTTP Basic, scope
 * `SALESFORCE_COMMERCE_API:{tenantId} sfcc.…`). Most users want {@link salesforceAdmin}.
 *
 * @example
 * ```ts
 * const provider = salesforceAdminProvider({ clientId, clientSecret, tenantId: 'zzrf_001', shortCode: 'kv7kzm78', scopes: ['sfcc.orders'] });
 * ```
 */
export function salesforceAdminProvider(
  options: SalesforceAdminProviderOptions,
): SalesforceAdminProvider {
  if (typeof options !== 'object' || options === null)
    invalidOption('options', 'must be an object');
  const clientId = credential('clientId', options.clientId);
  const clientSecret = credential('clientSecret', options.clientSecret);
  const tenantId = tenantIdOf(options.tenantId);
  const shortCode = shortCodeOf(options.shortCode);
  const scope = [`SALESFORCE_COMMERCE_API:${tenantId}`, ...adminScopes(options.scopes)].join(' ');
  const tokenUrl =
    options.tokenUrl === undefined
      ? ACCOUNT_MANAGER_TOKEN_URL
      : overrideUrl('tokenUrl', options.tokenUrl).href;
  const baseUrl =
    options.baseUrl === undefined
      ? apiOriginOf(shortCode)
      : overrideUrl('baseUrl', options.baseUrl).origin;
  // Same guide: POST grant_type=client_credentials and the scope, the client's id and password
  // in HTTP Basic. The answer's expires_in (1799 s) sets the lifetime.
  const base = clientCredentials({
    tokenUrl,
    clientId,
    clientSecret,
    scope,
    authMethod: 'client_secret_basic',
  });
  const provider = {
    fetchToken: base.fetchToken,
    key: ['salesforce-admin', base.key].join('|'),
    label: labelOf('salesforce-admin', tokenUrl),
    // The token goes to the SCAPI host only, never back to Account Manager or elsewhere.
    origins: Object.freeze([baseUrl]),
    // No limit on Account Manager token requests is documented: none is declared.
    tokenUrl,
    baseUrl,
    tenantId,
    organizationId: `f_ecom_${tenantId}`,
    scope,
  };
  return concealSecrets<SalesforceAdminProvider>(provider as SalesforceAdminProvider, [
    ...(base.secrets ?? [clientSecret]),
  ]);
}

/**
 * A token manager for the SCAPI Admin APIs through Account Manager client credentials.
 *
 * @example
 * ```ts
 * const admin = salesforceAdmin({
 *   clientId: process.env.SFCC_CLIENT_ID!,
 *   clientSecret: process.env.SFCC_CLIENT_SECRET!,
 *   tenantId: 'zzrf_001',
 *   shortCode: 'kv7kzm78',
 *   scopes: ['sfcc.orders'],
 * });
 * ```
 */
export function salesforceAdmin(options: SalesforceAdminOptions): SalesforceAdminTokenManager {
  return presetManager('salesforceAdmin()', salesforceAdminProvider, options, ADMIN_OPTIONS, [
    'tokenUrl',
    'baseUrl',
    'tenantId',
    'organizationId',
    'scope',
  ]);
}
