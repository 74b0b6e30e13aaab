// The options of the Shopify provider and of the `shopify()` preset.
import type { TokenManagerOptions } from '@authwire/core';

/** Options of {@link shopifyProvider}. */
export interface ShopifyProviderOptions {
  /** The app's client id (Dev Dashboard › Apps › Settings). */
  readonly clientId: string;
  /** The app's client secret; never logged, never in an error or the cache key. */
  readonly clientSecret: string;
  /** The shop: `acme` or `acme.myshopify.com`. */
  readonly shop: string;
  /** Admin API version for `adminApiUrl`, `YYYY-MM`. Default {@link DEFAULT_SHOPIFY_API_VERSION}. */
  readonly apiVersion?: string;
  /** Token endpoint override (proxies, tests). HTTPS, or http to a loopback host. */
  readonly tokenUrl?: string;
  /** Shop origin override (proxies, tests). HTTPS, or http to a loopback host. */
  readonly baseUrl?: string;
}

/** Options of {@link shopify}: the provider's plus the token manager's. */
export interface ShopifyOptions
  extends ShopifyProviderOptions,
    Omit<TokenManagerOptions, 'origins'> {}

/** The names of {@link ShopifyProviderOptions}, for the preset's unknown-option check. */
export const SHOPIFY_PROVIDER_OPTIONS: readonly (keyof ShopifyProviderOptions)[] = [
  'clientId',
  'clientSecret',
  'shop',
  'apiVersion',
  'tokenUrl',
  'baseUrl',
];

/**
 * The Admin API version `adminApiUrl` uses unless told: Shopify releases one each quarter
 * (shopify.dev "API versioning", documented); 2026-10 is the newest stable one when this was
 * written (inferred from the naming scheme — pass yours).
 */
export const DEFAULT_SHOPIFY_API_VERSION = '2026-10';
