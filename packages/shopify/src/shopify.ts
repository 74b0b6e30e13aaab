// The `shopify()` preset: validated options → provider → a ready token manager.
import type { TokenManager } from '@authwire/core';
import { presetManager } from '@authwire/core/kit';
import { SHOPIFY_PROVIDER_OPTIONS, type ShopifyOptions } from './options.ts';
import { shopifyProvider } from './provider.ts';

/** A token manager for one Shopify shop. */
export interface ShopifyTokenManager extends TokenManager {
  readonly tokenUrl: string;
  readonly baseUrl: string;
  /** `{baseUrl}/admin/api/{apiVersion}`. */
  readonly adminApiUrl: string;
  readonly shop: string;
  readonly apiVersion: string;
}

/**
 * Creates a token manager for an app acting on a shop of its own organisation (the client
 * credentials grant): the token goes out as `X-Shopify-Access-Token`, with the same origin
 * scoping, redirect stripping, redaction and 401 healing as a Bearer token.
 *
 * @example
 * ```ts
 * const auth = shopify({
 *   clientId: process.env.SHOPIFY_CLIENT_ID!,
 *   clientSecret: process.env.SHOPIFY_CLIENT_SECRET!,
 *   shop: 'acme',
 * });
 * ```
 */
export function shopify(options: ShopifyOptions): ShopifyTokenManager {
  return presetManager('shopify()', shopifyProvider, options, SHOPIFY_PROVIDER_OPTIONS, [
    'tokenUrl',
    'baseUrl',
    'adminApiUrl',
    'shop',
    'apiVersion',
  ]);
}
