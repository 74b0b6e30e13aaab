// Type tests of the public surface (checked by `tsc` in the typecheck script).
import type { TokenManager, TokenProvider } from '@authwire/core';
import { expectTypeOf } from 'vitest';
import {
  type CommercetoolsRegion,
  type CommercetoolsTokenManager,
  commercetools,
  commercetoolsProvider,
} from '../src/index.ts';

const options = {
  clientId: 'id',
  clientSecret: 'secret',
  projectKey: 'acme',
  region: 'europe-west1.gcp',
} as const;

expectTypeOf(commercetools).returns.toEqualTypeOf<CommercetoolsTokenManager>();
expectTypeOf<CommercetoolsTokenManager>().toExtend<TokenManager>();
expectTypeOf(commercetoolsProvider(options)).toExtend<TokenProvider>();
expectTypeOf<'us-east-2.aws'>().toExtend<CommercetoolsRegion>();
commercetools({ ...options, refreshWindowMs: 60_000 });
// @ts-expect-error — origins come from the provider.
commercetools({ ...options, origins: ['https://example.com'] });
// @ts-expect-error — a Region is its host part.
commercetools({ ...options, region: 'europe' });
