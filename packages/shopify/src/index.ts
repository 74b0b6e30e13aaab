export type { ShopifyOptions, ShopifyProviderOptions } from './options.ts';
export { DEFAULT_SHOPIFY_API_VERSION } from './options.ts';
export type { ShopifyProvider } from './provider.ts';
export { SHOPIFY_TOKEN_HEADER, shopifyProvider } from './provider.ts';
export type { ShopifyTokenManager } from './shopify.ts';
export { shopify } from './shopify.ts';
