// Type tests of the public surface (checked by `tsc` in the typecheck script).
import type { TokenManager, TokenProvider } from '@authwire/core';
import { expectTypeOf } from 'vitest';
import { type ShopifyTokenManager, shopify, shopifyProvider } from '../src/index.ts';

const options = { clientId: 'id', clientSecret: 'secret', shop: 'acme' };
expectTypeOf(shopify).returns.toEqualTypeOf<ShopifyTokenManager>();
expectTypeOf<ShopifyTokenManager>().toExtend<TokenManager>();
expectTypeOf(shopifyProvider(options)).toExtend<TokenProvider>();
expectTypeOf(shopifyProvider(options).tokenHeader).toEqualTypeOf<string>();
// @ts-expect-error — origins come from the provider.
shopify({ ...options, origins: ['https://example.com'] });
