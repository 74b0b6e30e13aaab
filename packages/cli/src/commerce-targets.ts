// `authwire token` for commercetools, Salesforce B2C Commerce (Account Manager, SLAS) and Shopify.
import { type CommercetoolsRegion, commercetools } from '@authwire/commercetools';
import { memoryStore } from '@authwire/core';
import { salesforceAdmin, salesforceShopper } from '@authwire/salesforce-commerce';
import { shopify } from '@authwire/shopify';
import type { Flags } from './flags.ts';
import { joinPath, rejectForeign, requireAll, setting, type Target } from './providers.ts';

const OVERRIDES = ['token-url', 'base-url'] as const;

/** `--token-url` / `--base-url` (or their variables) as preset options, when given. */
function overrides(flags: Flags, env: NodeJS.ProcessEnv, prefix: string) {
  const tokenUrl = setting(flags, env, 'token-url', `${prefix}_TOKEN_URL`);
  const baseUrl = setting(flags, env, 'base-url', `${prefix}_BASE_URL`);
  return {
    ...(tokenUrl === undefined ? {} : { tokenUrl }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
  };
}

export function commercetoolsTarget(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  debug?: (line: string) => void,
): Target {
  rejectForeign('commercetools', flags, [
    'client-id',
    'client-secret',
    'project-key',
    'region',
    'scope',
    ...OVERRIDES,
  ]);
  const get = (flag: string, variable: string) => setting(flags, env, flag, variable);
  const clientId = get('client-id', 'CTP_CLIENT_ID');
  const clientSecret = get('client-secret', 'CTP_CLIENT_SECRET');
  const projectKey = get('project-key', 'CTP_PROJECT_KEY');
  const region = get('region', 'CTP_REGION');
  requireAll('commercetools', [
    ['client-id', 'CTP_CLIENT_ID', clientId],
    ['client-secret', 'CTP_CLIENT_SECRET', clientSecret],
    ['project-key', 'CTP_PROJECT_KEY', projectKey],
    ['region', 'CTP_REGION', region],
  ]);
  const scope = get('scope', 'CTP_SCOPES');
  const auth = commercetools({
    clientId: clientId!,
    clientSecret: clientSecret!,
    projectKey: projectKey!,
    region: region as CommercetoolsRegion,
    ...(scope === undefined ? {} : { scopes: scope }),
    ...overrides(flags, env, 'CTP'),
    store: memoryStore(),
    ...(debug === undefined ? {} : { debug }),
  });
  return {
    auth,
    title: `commercetools token for project ${auth.projectKey} (${auth.region})`,
    details: [
      ['token endpoint', auth.tokenUrl],
      ['project API', auth.projectUrl],
    ],
    curlUrl: (path) => (path === undefined ? auth.projectUrl : joinPath(auth.baseUrl, path)),
  };
}

export function salesforceAdminTarget(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  debug?: (line: string) => void,
): Target {
  rejectForeign('salesforce-admin', flags, [
    'client-id',
    'client-secret',
    'tenant-id',
    'short-code',
    'scope',
    ...OVERRIDES,
  ]);
  const get = (flag: string, variable: string) => setting(flags, env, flag, variable);
  const clientId = get('client-id', 'SFCC_CLIENT_ID');
  const clientSecret = get('client-secret', 'SFCC_CLIENT_SECRET');
  const tenantId = get('tenant-id', 'SFCC_TENANT_ID');
  const shortCode = get('short-code', 'SFCC_SHORT_CODE');
  const scope = get('scope', 'SFCC_SCOPES');
  requireAll('salesforce-admin', [
    ['client-id', 'SFCC_CLIENT_ID', clientId],
    ['client-secret', 'SFCC_CLIENT_SECRET', clientSecret],
    ['tenant-id', 'SFCC_TENANT_ID', tenantId],
    ['short-code', 'SFCC_SHORT_CODE', shortCode],
    ['scope', 'SFCC_SCOPES', scope],
  ]);
  const auth = salesforceAdmin({
    clientId: clientId!,
    clientSecret: clientSecret!,
    tenantId: tenantId!,
    shortCode: shortCode!,
    scopes: scope!.split(' ').filter((s) => s !== ''),
    ...overrides(flags, env, 'SFCC'),
    store: memoryStore(),
    ...(debug === undefined ? {} : { debug }),
  });
  return {
    auth,
    title: `Salesforce Commerce Admin API token (Account Manager, tenant ${auth.tenantId})`,
    details: [
      ['token endpoint', auth.tokenUrl],
      ['API base', auth.baseUrl],
    ],
    curlUrl: (path) =>
      joinPath(
        auth.baseUrl,
        path ?? `/checkout/orders/v1/organizations/${auth.organizationId}/orders`,
      ),
  };
}

export function salesforceShopperTarget(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  debug?: (line: string) => void,
): Target {
  rejectForeign('salesforce-shopper', flags, [
    'client-id',
    'client-secret',
    'tenant-id',
    'short-code',
    'site-id',
    ...OVERRIDES,
  ]);
  const get = (flag: string, variable: string) => setting(flags, env, flag, variable);
  const clientId = get('client-id', 'SLAS_CLIENT_ID');
  const clientSecret = get('client-secret', 'SLAS_CLIENT_SECRET');
  const tenantId = get('tenant-id', 'SFCC_TENANT_ID');
  const shortCode = get('short-code', 'SFCC_SHORT_CODE');
  const siteId = get('site-id', 'SFCC_SITE_ID');
  requireAll('salesforce-shopper', [
    ['client-id', 'SLAS_CLIENT_ID', clientId],
    ['client-secret', 'SLAS_CLIENT_SECRET', clientSecret],
    ['tenant-id', 'SFCC_TENANT_ID', tenantId],
    ['short-code', 'SFCC_SHORT_CODE', shortCode],
    ['site-id', 'SFCC_SITE_ID', siteId],
  ]);
  const auth = salesforceShopper({
    clientId: clientId!,
    clientSecret: clientSecret!,
    tenantId: tenantId!,
    shortCode: shortCode!,
    siteId: siteId!,
    ...overrides(flags, env, 'SLAS'),
    store: memoryStore(),
    ...(debug === undefined ? {} : { debug }),
  });
  return {
    auth,
    title: `Salesforce Commerce Shopper API token (SLAS private client, site ${auth.siteId})`,
    details: [
      ['token endpoint', auth.tokenUrl],
      ['API base', auth.baseUrl],
    ],
    curlUrl: (path) =>
      joinPath(
        auth.baseUrl,
        path ?? `/product/shopper-products/v1/organizations/${auth.organizationId}/products`,
      ),
  };
}

export function shopifyTarget(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  debug?: (line: string) => void,
): Target {
  rejectForeign('shopify', flags, [
    'client-id',
    'client-secret',
    'shop',
    'api-version',
    ...OVERRIDES,
  ]);
  const get = (flag: string, variable: string) => setting(flags, env, flag, variable);
  const clientId = get('client-id', 'SHOPIFY_CLIENT_ID');
  const clientSecret = get('client-secret', 'SHOPIFY_CLIENT_SECRET');
  const shop = get('shop', 'SHOPIFY_SHOP');
  requireAll('shopify', [
    ['client-id', 'SHOPIFY_CLIENT_ID', clientId],
    ['client-secret', 'SHOPIFY_CLIENT_SECRET', clientSecret],
    ['shop', 'SHOPIFY_SHOP', shop],
  ]);
  const apiVersion = get('api-version', 'SHOPIFY_API_VERSION');
  const auth = shopify({
    clientId: clientId!,
    clientSecret: clientSecret!,
    shop: shop!,
    ...(apiVersion === undefined ? {} : { apiVersion }),
    ...overrides(flags, env, 'SHOPIFY'),
    store: memoryStore(),
    ...(debug === undefined ? {} : { debug }),
  });
  return {
    auth,
    title: `Shopify Admin API token for ${auth.shop}`,
    details: [
      ['token endpoint', auth.tokenUrl],
      ['Admin API', auth.adminApiUrl],
      ['sent as', 'X-Shopify-Access-Token'],
    ],
    curlUrl: (path) =>
      path === undefined ? `${auth.adminApiUrl}/shop.json` : joinPath(auth.baseUrl, path),
  };
}
