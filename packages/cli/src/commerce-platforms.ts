// The commerce platforms of the CLI table (commercetools, Salesforce B2C Commerce, Shopify): flags, help, target.
// No `mock` yet: their @authwire/msw mocks answer on the platforms' own hosts, not on a served base URL.
import {
  commercetoolsTarget,
  salesforceAdminTarget,
  salesforceShopperTarget,
  shopifyTarget,
} from './commerce-targets.ts';
import type { Flags, OptionSpec } from './flags.ts';
import type { Platform } from './platforms.ts';

const STRING: OptionSpec = { type: 'string' };
const OVERRIDES = { 'token-url': STRING, 'base-url': STRING } as const;

/** The hint when the token URL was overridden, else `fallback`. */
const overriddenOr =
  (variable: string, fallback: string) =>
  (flags: Flags, env: NodeJS.ProcessEnv): string =>
    flags['token-url'] !== undefined || env[variable]
      ? `Check --token-url (${variable}).`
      : fallback;

export const COMMERCE_PLATFORMS: readonly Platform[] = [
  {
    name: 'commercetools',
    title: 'commercetools',
    options: {
      'client-id': STRING,
      'client-secret': STRING,
      'project-key': STRING,
      region: STRING,
      scope: STRING,
      ...OVERRIDES,
    },
    usage: `commercetools (authwire token commercetools)
  --client-id <id>           CTP_CLIENT_ID
  --client-secret <secret>   CTP_CLIENT_SECRET
  --project-key <key>        CTP_PROJECT_KEY
  --region <region>          CTP_REGION              e.g. europe-west1.gcp, us-central1.gcp, eu-central-1.aws
  --scope <scopes>           CTP_SCOPES              space-separated; default manage_project:{key}
  --token-url, --base-url    CTP_TOKEN_URL, CTP_BASE_URL
`,
    hostNotFoundHint: overriddenOr(
      'CTP_TOKEN_URL',
      'Check --region (CTP_REGION), e.g. europe-west1.gcp: the token host is auth.{region}.commercetools.com.',
    ),
    target: commercetoolsTarget,
  },
  {
    name: 'salesforce-admin',
    title: 'Salesforce B2C Commerce Admin APIs',
    options: {
      'client-id': STRING,
      'client-secret': STRING,
      'tenant-id': STRING,
      'short-code': STRING,
      scope: STRING,
      ...OVERRIDES,
    },
    usage: `Salesforce B2C Commerce Admin APIs (authwire token salesforce-admin)
  --client-id <id>           SFCC_CLIENT_ID          Account Manager API client
  --client-secret <secret>   SFCC_CLIENT_SECRET
  --tenant-id <id>           SFCC_TENANT_ID          e.g. zzrf_001
  --short-code <code>        SFCC_SHORT_CODE
  --scope <scopes>           SFCC_SCOPES             sfcc.* scopes, space-separated
  --token-url, --base-url    SFCC_TOKEN_URL, SFCC_BASE_URL
`,
    hostNotFoundHint: overriddenOr(
      'SFCC_TOKEN_URL',
      'The token host is account.demandware.com: check DNS and any proxy on this machine.',
    ),
    target: salesforceAdminTarget,
  },
  {
    name: 'salesforce-shopper',
    title: 'Salesforce B2C Commerce Shopper APIs',
    options: {
      'client-id': STRING,
      'client-secret': STRING,
      'tenant-id': STRING,
      'short-code': STRING,
      'site-id': STRING,
      ...OVERRIDES,
    },
    usage: `Salesforce B2C Commerce Shopper APIs (authwire token salesforce-shopper)
  --client-id <id>           SLAS_CLIENT_ID          SLAS private client
  --client-secret <secret>   SLAS_CLIENT_SECRET
  --tenant-id, --short-code  SFCC_TENANT_ID, SFCC_SHORT_CODE
  --site-id <site>           SFCC_SITE_ID            sent as channel_id
  --token-url, --base-url    SLAS_TOKEN_URL, SLAS_BASE_URL
`,
    hostNotFoundHint: overriddenOr(
      'SLAS_TOKEN_URL',
      'Check --short-code (SFCC_SHORT_CODE): the token host is {short-code}.api.commercecloud.salesforce.com.',
    ),
    target: salesforceShopperTarget,
  },
  {
    name: 'shopify',
    title: 'Shopify',
    options: {
      'client-id': STRING,
      'client-secret': STRING,
      shop: STRING,
      'api-version': STRING,
      ...OVERRIDES,
    },
    usage: `Shopify (authwire token shopify)
  --client-id <id>           SHOPIFY_CLIENT_ID
  --client-secret <secret>   SHOPIFY_CLIENT_SECRET
  --shop <shop>              SHOPIFY_SHOP            acme or acme.myshopify.com
  --api-version <version>    SHOPIFY_API_VERSION     default 2026-10
  --token-url, --base-url    SHOPIFY_TOKEN_URL, SHOPIFY_BASE_URL
`,
    hostNotFoundHint: overriddenOr(
      'SHOPIFY_TOKEN_URL',
      'Check --shop (SHOPIFY_SHOP): the token host is {shop}.myshopify.com.',
    ),
    target: shopifyTarget,
  },
];
