// `authwire token` for commercetools, Salesforce B2C Commerce (Account Manager, SLAS) and Shopify.
import { type CommercetoolsRegion, commercetools } from '@authwire/commercetools';
import { memoryStore } from '@authwire/core';
import { salesforceAdmin, salesforceShopper } from '@authwire/salesforce-commerce';
import { shopify } from '@authwire/shopify';
import type { Flags } from './flags.ts';
import { joinPath, rejectForeign, requiredSettings, setting, type Target } from './providers.ts';

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
  const given = requiredSettings('commercetools', flags, env, {
    'client-id': 'CTP_CLIENT_ID',
    'client-secret': 'CTP_CLIENT_SECRET',
    'project-key': 'CTP_PROJECT_KEY',
    region: 'CTP_REGION',
  });
  const scope = setting(flags, env, 'scope', 'CTP_SCOPES');
  const auth = commercetools({
    clientId: given['client-id'],
    clientSecret: given['client-secret'],
    projectKey: given['project-key'],
    region: given.region as CommercetoolsRegion,
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
  const given = requiredSettings('salesforce-admin', flags, env, {
    'client-id': 'SFCC_CLIENT_ID',
    'client-secret': 'SFCC_CLIENT_SECRET',
    'tenant-id': 'SFCC_TENANT_ID',
    'short-code': 'SFCC_SHORT_CODE',
    scope: 'SFCC_SCOPES',
  });
  const auth = salesforceAdmin({
    clientId: given['client-id'],
    clientSecret: given['client-secret'],
    tenantId: given['tenant-id'],
    shortCode: given['short-code'],
    scopes: given.scope.split(' ').filter((s) => s !== ''),
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
  const given = requiredSettings('salesforce-shopper', flags, env, {
    'client-id': 'SLAS_CLIENT_ID',
    'client-secret': 'SLAS_CLIENT_SECRET',
    'tenant-id': 'SFCC_TENANT_ID',
    'short-code': 'SFCC_SHORT_CODE',
    'site-id': 'SFCC_SITE_ID',
  });
  const auth = salesforceShopper({
    clientId: given['client-id'],
    clientSecret: given['client-secret'],
    tenantId: given['tenant-id'],
    shortCode: given['short-code'],
    siteId: given['site-id'],
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
  const given = requiredSettings('shopify', flags, env, {
    'client-id': 'SHOPIFY_CLIENT_ID',
    'client-secret': 'SHOPIFY_CLIENT_SECRET',
    shop: 'SHOPIFY_SHOP',
  });
  const apiVersion = setting(flags, env, 'api-version', 'SHOPIFY_API_VERSION');
  const auth = shopify({
    clientId: given['client-id'],
    clientSecret: given['client-secret'],
    shop: given.shop,
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
