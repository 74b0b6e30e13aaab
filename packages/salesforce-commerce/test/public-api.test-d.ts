// Type tests of the public surface (checked by `tsc` in the typecheck script).
import type { TokenManager } from '@authwire/core';
import { expectTypeOf } from 'vitest';
import {
  type SalesforceAdminTokenManager,
  type SalesforceShopperTokenManager,
  salesforceAdmin,
  salesforceShopper,
} from '../src/index.ts';

expectTypeOf(salesforceAdmin).returns.toEqualTypeOf<SalesforceAdminTokenManager>();
expectTypeOf(salesforceShopper).returns.toEqualTypeOf<SalesforceShopperTokenManager>();
expectTypeOf<SalesforceShopperTokenManager>().toExtend<TokenManager>();
const shopper = { clientId: 'a', clientSecret: 'b', shortCode: 'c', tenantId: 'd', siteId: 'e' };
salesforceShopper({ ...shopper, tokenRequestsPerMinute: 100 });
// @ts-expect-error — the Admin preset needs its sfcc.* scopes.
salesforceAdmin({ clientId: 'a', clientSecret: 'b', shortCode: 'c', tenantId: 'd' });
