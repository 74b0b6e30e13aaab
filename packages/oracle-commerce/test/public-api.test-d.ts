// Type tests of the public surface (checked by `tsc` in the typecheck script).
import type { TokenManager, TokenProvider } from '@authwire/core';
import { expectTypeOf } from 'vitest';
import {
  type OracleCommerceApi,
  type OracleCommerceTokenManager,
  oracleCommerce,
  oracleCommerceProvider,
} from '../src/index.ts';

const options = { baseUrl: 'https://example.com', applicationKey: 'key' } as const;

expectTypeOf(oracleCommerce).returns.toEqualTypeOf<OracleCommerceTokenManager>();
expectTypeOf<OracleCommerceTokenManager>().toExtend<TokenManager>();
expectTypeOf<OracleCommerceTokenManager['apiUrl']>().toEqualTypeOf<string>();
expectTypeOf(oracleCommerceProvider(options)).toExtend<TokenProvider>();
expectTypeOf<OracleCommerceApi>().toEqualTypeOf<'admin' | 'agent' | 'app' | 'appAgent'>();

oracleCommerce({ ...options, api: 'appAgent', revokeOnClose: true, maxAttempts: 2 });
// @ts-expect-error — the family is 'agent', not the path segment.
oracleCommerce({ ...options, api: 'ccagent' });
// @ts-expect-error — applicationKey is required.
oracleCommerce({ baseUrl: 'https://example.com' });
