// The embedded mock platforms, each with a token manager pointed at it through its preset.

import { commercetools } from '@authwire/commercetools';
import { memoryStore, type TokenManager } from '@authwire/core';
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
  salesforceShopperMock,
  shopifyMock,
} from '@authwire/msw';
import { norce } from '@authwire/norce';
import { oracleCommerce } from '@authwire/oracle-commerce';
import { salesforceShopper } from '@authwire/salesforce-commerce';
import { shopify } from '@authwire/shopify';
import type { HttpHandler } from 'msw';
import type { DemoClock } from './clock.ts';

/** One mock platform plus a manager configured for it, fresh for every scenario. */
export interface Platform {
  readonly auth: TokenManager;
  readonly control: MockControl<IssuedToken, MockCounters>;
  readonly handlers: readonly HttpHandler[];
  /** The API origin: the only place the token may go. */
  readonly baseUrl: string;
  /** A protected GET endpoint, relative to `baseUrl`. */
  readonly path: string;
  /** Token-endpoint requests the manager has sent whose response it has not read yet. */
  readonly tokenRequestsInFlight: () => number;
}

/**
 * The manager's transport for token requests, counting the ones in flight. The demo's clock must
 * not move while one is on its way: a request "sent" at 8:00.1 and read by the mock after two
 * skipped waves arrives a minute later, with a token that expired on the way.
 */
function countingFetch(): { fetch: typeof fetch; inFlight: () => number } {
  let inFlight = 0;
  return {
    fetch: async (input, init) => {
      inFlight += 1;
      try {
        return await globalThis.fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    },
    inFlight: () => inFlight,
  };
}

export interface PlatformKind {
  readonly name: string;
  create(clock: DemoClock): Platform;
}

export const norcePlatform: PlatformKind = {
  name: 'Norce',
  create(clock) {
    // 600 s is the lifetime in Norce's own example response (the docs' text says 3600 s).
    const mock = norceMock({
      clientName: 'demo',
      environment: 'playground',
      tokenLifetime: 600,
      now: clock.now,
    });
    const transport = countingFetch();
    const auth = norce({
      clientId: NORCE_MOCK_DEFAULTS.clientId,
      clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
      applicationId: NORCE_MOCK_DEFAULTS.applicationId,
      clientName: 'demo',
      region: 'se',
      environment: 'playground',
      // A store per scenario, so no scenario starts with another one's token.
      store: memoryStore(),
      clock,
      fetch: transport.fetch,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      baseUrl: auth.baseUrl,
      path: '/commerce/product/1.1/ListProducts',
      tokenRequestsInFlight: transport.inFlight,
    };
  },
};

export const oraclePlatform: PlatformKind = {
  name: 'Oracle',
  create(clock) {
    // Application-key tokens live 5 minutes (Oracle Commerce 17.12 docs).
    const mock = oracleCommerceMock({ now: clock.now });
    const transport = countingFetch();
    const auth = oracleCommerce({
      baseUrl: mock.apiOrigin,
      applicationKey: mock.applicationKeys[0]!,
      store: memoryStore(),
      clock,
      fetch: transport.fetch,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      baseUrl: auth.baseUrl,
      path: '/ccadmin/v1/orders',
      tokenRequestsInFlight: transport.inFlight,
    };
  },
};

// The refresh-ahead scenario spans 15 simulated minutes, so these mocks issue 10-minute tokens.
// commercetools: an API Client with accessTokenValiditySeconds 600 (documented setting; 48 h by
// default). SLAS (30 min) and Shopify (~24 h) fix their lifetimes: shortened for the demo only.
const DEMO_LIFETIME_S = 600;

export const commercetoolsPlatform: PlatformKind = {
  name: 'commercetools',
  create(clock) {
    const { clientId, clientSecret, projectKey } = COMMERCETOOLS_MOCK_DEFAULTS;
    const mock = commercetoolsMock({ tokenLifetime: DEMO_LIFETIME_S, now: clock.now });
    const transport = countingFetch();
    const auth = commercetools({
      clientId,
      clientSecret,
      projectKey,
      region: 'europe-west1.gcp',
      store: memoryStore(),
      clock,
      fetch: transport.fetch,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      baseUrl: auth.baseUrl,
      path: `/${projectKey}/products`,
      tokenRequestsInFlight: transport.inFlight,
    };
  },
};

export const salesforcePlatform: PlatformKind = {
  name: 'SLAS',
  create(clock) {
    const { clientId, clientSecret, shortCode, tenantId, siteId } = SALESFORCE_MOCK_DEFAULTS;
    const mock = salesforceShopperMock({ tokenLifetime: DEMO_LIFETIME_S, now: clock.now });
    const transport = countingFetch();
    const auth = salesforceShopper({
      clientId,
      clientSecret,
      shortCode,
      tenantId,
      siteId,
      store: memoryStore(),
      clock,
      fetch: transport.fetch,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      baseUrl: auth.baseUrl,
      path: `/product/shopper-products/v1/organizations/${auth.organizationId}/products`,
      tokenRequestsInFlight: transport.inFlight,
    };
  },
};

export const shopifyPlatform: PlatformKind = {
  name: 'Shopify',
  create(clock) {
    const { clientId, clientSecret, shop } = SHOPIFY_MOCK_DEFAULTS;
    const mock = shopifyMock({ tokenLifetime: DEMO_LIFETIME_S, now: clock.now });
    const transport = countingFetch();
    const auth = shopify({
      clientId,
      clientSecret,
      shop,
      store: memoryStore(),
      clock,
      fetch: transport.fetch,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      baseUrl: auth.baseUrl,
      path: '/admin/api/2026-10/shop.json',
      tokenRequestsInFlight: transport.inFlight,
    };
  },
};

export const PLATFORMS: readonly PlatformKind[] = [
  norcePlatform,
  oraclePlatform,
  commercetoolsPlatform,
  salesforcePlatform,
  shopifyPlatform,
];
