// The provider mocks the conformance and fault suites run against, each with a manager wired to it,
// and the conformance suite's clock.

import { commercetools } from '@authwire/commercetools';
import {
  type Clock,
  memoryStore,
  type TokenManager,
  type TokenManagerOptions,
} from '@authwire/core';
import { systemClock } from '@authwire/core/kit';
import {
  COMMERCETOOLS_MOCK_DEFAULTS,
  commercetoolsMock,
  type IssuedToken,
  type MockControl,
  type MockCounters,
  NORCE_MOCK_DEFAULTS,
  norceMock,
  oracleCommerceMock,
  SALESFORCE_MOCK_DEFAULTS,
  SHOPIFY_MOCK_DEFAULTS,
  salesforceAdminMock,
  salesforceShopperMock,
  shopifyMock,
} from '@authwire/msw';
import { norce } from '@authwire/norce';
import { oracleCommerce } from '@authwire/oracle-commerce';
import { salesforceAdmin, salesforceShopper } from '@authwire/salesforce-commerce';
import { shopify } from '@authwire/shopify';
import type { HttpHandler } from 'msw';

/** Wall-clock time plus whatever a test skipped. Sleeps are real: the manager's timeouts use them. */
export interface TestClock extends Clock {
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  return {
    ...systemClock,
    now: () => Date.now() + offset,
    random: () => 0.5,
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** Manager options on top of the mock's credentials; the store is always a fresh memory store. */
export type ManagerOverrides = Omit<TokenManagerOptions, 'origins' | 'store'>;

export interface PlatformOptions {
  /** The mock's clock; default `Date.now`. */
  readonly now?: () => number;
  /** The manager's options besides the mock's credentials (clock, fetch, retries, …). */
  readonly manager?: ManagerOverrides;
}

/** One provider mock plus a manager pointed at it. */
export interface Platform {
  readonly auth: TokenManager;
  readonly control: MockControl<IssuedToken, MockCounters>;
  readonly handlers: HttpHandler[];
  /** The mock's token endpoint (Oracle Commerce: the admin login). */
  readonly tokenUrl: string;
  readonly apiOrigin: string;
  /** A protected GET endpoint. */
  readonly apiUrl: string;
  /** The protected echo endpoint (any method). */
  readonly echoUrl: string;
  /** What must never appear in an error: the client secret or application key. */
  readonly secrets: readonly string[];
  /** The mock's token lifetime in ms. */
  readonly lifetimeMs: number;
  /** The header the token travels in, lower-cased: `authorization`, or Shopify's own. */
  readonly tokenHeader: string;
}

export interface PlatformKind {
  readonly name: string;
  create(options?: PlatformOptions): Platform;
}

/** The mock's `now` option, when one was given. */
const mockNow = (options: PlatformOptions) => (options.now ? { now: options.now } : {});

export const NORCE: PlatformKind = {
  name: 'Norce',
  create(options = {}) {
    const mock = norceMock({ clientName: 'demo', environment: 'playground', ...mockNow(options) });
    const auth = norce({
      clientName: 'demo',
      region: 'se',
      environment: 'playground',
      clientId: NORCE_MOCK_DEFAULTS.clientId,
      clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
      applicationId: NORCE_MOCK_DEFAULTS.applicationId,
      store: memoryStore(),
      ...options.manager,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      tokenUrl: mock.tokenUrl,
      apiOrigin: mock.apiOrigin,
      apiUrl: `${mock.apiOrigin}/commerce/product/1.1/ListProducts`,
      echoUrl: mock.echoUrl,
      secrets: [NORCE_MOCK_DEFAULTS.clientSecret],
      lifetimeMs: 3_600_000,
      tokenHeader: 'authorization',
    };
  },
};

const ORACLE_COMMERCE: PlatformKind = {
  name: 'Oracle Commerce',
  create(options = {}) {
    const mock = oracleCommerceMock(mockNow(options));
    const applicationKey = mock.applicationKeys[0]!;
    const auth = oracleCommerce({
      baseUrl: mock.apiOrigin,
      applicationKey,
      store: memoryStore(),
      ...options.manager,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      tokenUrl: mock.tokenUrl,
      apiOrigin: mock.apiOrigin,
      apiUrl: `${mock.apiOrigin}/ccadmin/v1/orders`,
      echoUrl: mock.echoUrl,
      secrets: [applicationKey],
      lifetimeMs: 300_000,
      tokenHeader: 'authorization',
    };
  },
};

const COMMERCETOOLS: PlatformKind = {
  name: 'commercetools',
  create(options = {}) {
    const { clientId, clientSecret, projectKey, region } = COMMERCETOOLS_MOCK_DEFAULTS;
    const mock = commercetoolsMock(mockNow(options));
    const auth = commercetools({
      clientId,
      clientSecret,
      projectKey,
      region: region as 'europe-west1.gcp',
      store: memoryStore(),
      ...options.manager,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      tokenUrl: mock.tokenUrl,
      apiOrigin: mock.apiOrigin,
      apiUrl: `${mock.apiOrigin}/${projectKey}/products`,
      echoUrl: mock.echoUrl,
      secrets: [clientSecret],
      // 48 h in the answer; the manager caps every lifetime at 24 h.
      lifetimeMs: 86_400_000,
      tokenHeader: 'authorization',
    };
  },
};

const {
  clientId: SF_ID,
  clientSecret: SF_SECRET,
  shortCode,
  tenantId,
  siteId,
} = SALESFORCE_MOCK_DEFAULTS;

const SALESFORCE_ADMIN: PlatformKind = {
  name: 'Salesforce Account Manager',
  create(options = {}) {
    const mock = salesforceAdminMock(mockNow(options));
    const auth = salesforceAdmin({
      clientId: SF_ID,
      clientSecret: SF_SECRET,
      shortCode,
      tenantId,
      scopes: ['sfcc.orders'],
      store: memoryStore(),
      ...options.manager,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      tokenUrl: mock.tokenUrl,
      apiOrigin: mock.apiOrigin,
      apiUrl: `${mock.apiOrigin}/checkout/orders/v1/organizations/f_ecom_${tenantId}/orders`,
      echoUrl: mock.echoUrl,
      secrets: [SF_SECRET],
      lifetimeMs: 1_799_000,
      tokenHeader: 'authorization',
    };
  },
};

const SALESFORCE_SHOPPER: PlatformKind = {
  name: 'Salesforce SLAS',
  create(options = {}) {
    const mock = salesforceShopperMock(mockNow(options));
    const auth = salesforceShopper({
      clientId: SF_ID,
      clientSecret: SF_SECRET,
      shortCode,
      tenantId,
      siteId,
      store: memoryStore(),
      ...options.manager,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      tokenUrl: mock.tokenUrl,
      apiOrigin: mock.apiOrigin,
      apiUrl: `${mock.apiOrigin}/product/shopper-products/v1/organizations/f_ecom_${tenantId}/products`,
      echoUrl: mock.echoUrl,
      secrets: [SF_SECRET],
      lifetimeMs: 1_800_000,
      tokenHeader: 'authorization',
    };
  },
};

const SHOPIFY: PlatformKind = {
  name: 'Shopify',
  create(options = {}) {
    const { clientId, clientSecret, shop } = SHOPIFY_MOCK_DEFAULTS;
    const mock = shopifyMock(mockNow(options));
    const auth = shopify({
      clientId,
      clientSecret,
      shop,
      store: memoryStore(),
      ...options.manager,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      tokenUrl: mock.tokenUrl,
      apiOrigin: mock.apiOrigin,
      apiUrl: `${mock.apiOrigin}/admin/api/2026-10/shop.json`,
      echoUrl: mock.echoUrl,
      secrets: [clientSecret],
      lifetimeMs: 86_399_000,
      tokenHeader: 'x-shopify-access-token',
    };
  },
};

/** The platforms the fault suites run against (each with its own failure modes). */
export const PLATFORMS: readonly PlatformKind[] = [NORCE, ORACLE_COMMERCE];

/** Every platform: the conformance matrix runs every adapter against each. */
export const ALL_PLATFORMS: readonly PlatformKind[] = [
  ...PLATFORMS,
  COMMERCETOOLS,
  SALESFORCE_ADMIN,
  SALESFORCE_SHOPPER,
  SHOPIFY,
];
