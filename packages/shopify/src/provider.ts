// The Shopify token provider: the app's client-credentials token for its own shop, sent as X-Shopify-Access-Token.
import { clientCredentials } from '@authwire/core';
import {
  concealSecrets,
  credential,
  invalidOption,
  labelOf,
  matching,
  overrideUrl,
  type TokenProvider,
} from '@authwire/core/kit';
import { DEFAULT_SHOPIFY_API_VERSION, type ShopifyProviderOptions } from './options.ts';

/** shopify.dev, "About client credentials": the Admin API reads the token from this header. */
export const SHOPIFY_TOKEN_HEADER = 'X-Shopify-Access-Token';

/** A {@link TokenProvider} for one shop, with the settled URLs. */
export interface ShopifyProvider extends TokenProvider {
  readonly origins: readonly string[];
  readonly tokenHeader: string;
  readonly tokenUrl: string;
  /** `https://{shop}.myshopify.com`. */
  readonly baseUrl: string;
  /** `{baseUrl}/admin/api/{apiVersion}`: append `graphql.json`. */
  readonly adminApiUrl: string;
  /** `{shop}.myshopify.com`. */
  readonly shop: string;
  readonly apiVersion: string;
}

/** `acme` or `acme.myshopify.com` → `acme.myshopify.com` (one DNS label before the suffix). */
function shopHost(value: unknown): string {
  const given = matching(
    'shop',
    value,
    /^[a-z0-9][a-z0-9-]{0,61}(\.myshopify\.com)?$/i,
    "the shop's name, e.g. 'acme' or 'acme.myshopify.com'",
  ).toLowerCase();
  return given.endsWith('.myshopify.com') ? given : `${given}.myshopify.com`;
}

/**
 * Builds the Shopify provider (client credentials in the form body; the token in
 * `X-Shopify-Access-Token`, not `Authorization`). Most users want {@link shopify}.
 *
 * @example
 * ```ts
 * const provider = shopifyProvider({ clientId, clientSecret, shop: 'acme' });
 * ```
 */
export function shopifyProvider(options: ShopifyProviderOptions): ShopifyProvider {
  if (typeof options !== 'object' || options === null)
    invalidOption('options', 'must be an object');
  const clientId = credential('clientId', options.clientId);
  const clientSecret = credential('clientSecret', options.clientSecret);
  const shop = shopHost(options.shop);
  const apiVersion = matching(
    'apiVersion',
    options.apiVersion ?? DEFAULT_SHOPIFY_API_VERSION,
    /^(\d{4}-(01|04|07|10)|unstable)$/,
    "a quarterly version 'YYYY-MM' (01, 04, 07, 10) or 'unstable'",
  );
  const baseUrl =
    options.baseUrl === undefined
      ? `https://${shop}`
      : overrideUrl('baseUrl', options.baseUrl).origin;
  // shopify.dev, "About client credentials": POST https://{shop}.myshopify.com/admin/oauth/access_token,
  // form-encoded grant_type=client_credentials, client_id, client_secret.
  const tokenUrl =
    options.tokenUrl === undefined
      ? `https://${shop}/admin/oauth/access_token`
      : overrideUrl('tokenUrl', options.tokenUrl).href;
  const base = clientCredentials({ tokenUrl, clientId, clientSecret });
  const provider = {
    fetchToken: base.fetchToken,
    key: ['shopify', base.key].join('|'),
    label: labelOf('shopify', tokenUrl),
    // The shop's own origin (the token endpoint lives there too: the manager posts to it itself).
    origins: Object.freeze([baseUrl]),
    // Same page: API requests carry `X-Shopify-Access-Token: {access_token}`.
    tokenHeader: SHOPIFY_TOKEN_HEADER,
    // The answer's expires_in (86399 s, about 24 h) sets the lifetime; no token-request limit is
    // documented, so none is declared.
    tokenUrl,
    baseUrl,
    adminApiUrl: `${baseUrl}/admin/api/${apiVersion}`,
    shop,
    apiVersion,
  };
  return concealSecrets<ShopifyProvider>(provider as ShopifyProvider, [
    ...(base.secrets ?? [clientSecret]),
  ]);
}
