import type { TokenManager } from '@authwire/core';
import * as undici7 from 'undici7';
import * as undici8 from 'undici8';
import { expectTypeOf, it } from 'vitest';
import { authwire, type Interceptor } from '../src/index.ts';

declare const auth: TokenManager;
declare const other: TokenManager;

it('composes onto the Agent of undici 7 and of undici 8, beside their own interceptors', () => {
  const eight = new undici8.Agent().compose(
    authwire(auth, other),
    undici8.interceptors.redirect({ maxRedirections: 3 }),
  );
  expectTypeOf(eight).toExtend<undici8.Dispatcher>();
  const seven = new undici7.Agent().compose(
    authwire(auth),
    undici7.interceptors.redirect({ maxRedirections: 3 }),
  );
  expectTypeOf(seven).toExtend<undici7.Dispatcher>();
  undici8.setGlobalDispatcher(eight);
  undici7.setGlobalDispatcher(seven);
});

it('takes managers only', () => {
  expectTypeOf(authwire).parameters.toEqualTypeOf<TokenManager[]>();
  expectTypeOf(authwire(auth)).toEqualTypeOf<Interceptor>();
  // @ts-expect-error a manager, not its options
  authwire({ clientId: 'a' });
});
