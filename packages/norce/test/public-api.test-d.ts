// Type tests of the public surface (checked by `tsc` in the typecheck script).
import type { TokenManager, TokenProvider } from '@authwire/core';
import { expectTypeOf } from 'vitest';
import {
  type NorceEnvironment,
  type NorceTokenManager,
  norce,
  norceProvider,
} from '../src/index.ts';

const options = {
  clientId: 'id',
  clientSecret: 'secret',
  applicationId: 1,
  environment: 'stage',
  clientName: 'acme',
  region: 'se',
} as const;

expectTypeOf(norce).returns.toEqualTypeOf<NorceTokenManager>();
expectTypeOf<NorceTokenManager>().toExtend<TokenManager>();
expectTypeOf<NorceTokenManager['baseUrl']>().toEqualTypeOf<string>();
expectTypeOf(norceProvider(options)).toExtend<TokenProvider>();
expectTypeOf<NorceEnvironment>().toEqualTypeOf<'playground' | 'stage' | 'production'>();

// Manager options pass through.
norce({ ...options, refreshWindowMs: 60_000, onEvent: () => {}, revokeOnClose: false });
// @ts-expect-error — origins come from the provider.
norce({ ...options, origins: ['https://example.com'] });
// @ts-expect-error — 'prod' is a scope spelling, not an environment.
norce({ ...options, environment: 'prod' });
// @ts-expect-error — clientSecret is required.
norce({ clientId: 'id', applicationId: 1, environment: 'stage' });
