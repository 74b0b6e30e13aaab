// The Salesforce presets and the real token manager against @authwire/msw's Account Manager and SLAS mocks.
import {
  authFetch,
  InvalidOptionsError,
  memoryStore,
  RateLimitedError,
  TokenEndpointError,
  type TokenManager,
} from '@authwire/core';
import { requestAuth } from '@authwire/core/kit';
import {
  SALESFORCE_MOCK_DEFAULTS,
  salesforceAdminMock,
  salesforceShopperMock,
} from '@authwire/msw';
import { thrown, useMsw } from '@authwire/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type SalesforceShopperOptions,
  salesforceAdmin,
  salesforceAdminProvider,
  salesforceShopper,
  salesforceShopperProvider,
} from '../src/index.ts';

const msw = useMsw();
const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

const { clientId, clientSecret, shortCode, tenantId, siteId } = SALESFORCE_MOCK_DEFAULTS;
const ORDERS = `https://${shortCode}.api.commercecloud.salesforce.com/checkout/orders/v1/organizations/f_ecom_${tenantId}/orders`;
const PRODUCTS = `https://${shortCode}.api.commercecloud.salesforce.com/product/shopper-products/v1/organizations/f_ecom_${tenantId}/products`;

function admin() {
  const mock = salesforceAdminMock();
  msw.use(...mock.handlers);
  const auth = salesforceAdmin({
    clientId,
    clientSecret,
    tenantId,
    shortCode,
    scopes: ['sfcc.orders'],
    store: memoryStore(),
  });
  managers.push(auth);
  return { auth, mock };
}

function shopper(overrides: Partial<SalesforceShopperOptions> = {}, mockOptions = {}) {
  const mock = salesforceShopperMock(mockOptions);
  msw.use(...mock.handlers);
  const auth = salesforceShopper({
    clientId,
    clientSecret,
    shortCode,
    tenantId,
    siteId,
    store: memoryStore(),
    ...overrides,
  });
  managers.push(auth);
  return { auth, mock };
}

describe('salesforceAdmin() against Account Manager', () => {
  it('asks for the tenant scope plus sfcc.* scopes and calls the Admin API', async () => {
    const { auth, mock } = admin();
    expect(auth.tokenUrl).toBe('https://account.demandware.com/dwsso/oauth2/access_token');
    expect(auth.scope).toBe(`SALESFORCE_COMMERCE_API:${tenantId} sfcc.orders`);
    expect(auth.organizationId).toBe(`f_ecom_${tenantId}`);
    expect((await authFetch(auth)(ORDERS)).status).toBe(200);
    const token = await auth.getToken();
    expect(token.expiresAt - token.issuedAt).toBe(1_799_000);
    expect(mock.control.issuedTokens[0]?.scope).toBe(auth.scope);
  });

  it('one token request for 200 cold callers; one more after a revocation for 100', async () => {
    const { auth, mock } = admin();
    const call = authFetch(auth);
    const first = await Promise.all(Array.from({ length: 200 }, () => call(ORDERS)));
    expect(first.every((r) => r.status === 200)).toBe(true);
    mock.control.revokeAll();
    const second = await Promise.all(Array.from({ length: 100 }, () => call(ORDERS)));
    expect(second.every((r) => r.status === 200)).toBe(true);
    expect(mock.control.counters.tokenRequests).toBe(2);
  });

  it('never sends the token to Account Manager', async () => {
    const { auth } = admin();
    expect(requestAuth(auth).allows(auth.tokenUrl)).toBe(false);
    expect(auth.origins).toEqual([`https://${shortCode}.api.commercecloud.salesforce.com`]);
  });
});

describe('salesforceShopper() against SLAS', () => {
  it('posts channel_id with HTTP Basic and calls a Shopper API', async () => {
    const { auth, mock } = shopper();
    expect(auth.tokenUrl).toBe(
      `https://${shortCode}.api.commercecloud.salesforce.com/shopper/auth/v1/organizations/f_ecom_${tenantId}/oauth2/token`,
    );
    expect((await authFetch(auth)(PRODUCTS)).status).toBe(200);
    const token = await auth.getToken();
    expect(token.expiresAt - token.issuedAt).toBe(1_800_000);
    expect(mock.control.counters.tokenErrors).toBe(0);
  });

  it('fails without retrying on a wrong secret, and never shows it', async () => {
    const { auth, mock } = shopper({ clientSecret: 'not-the-secret-1234' });
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 401, error: 'invalid_client', retryable: false });
    expect(JSON.stringify(error)).not.toContain('not-the-secret-1234');
    expect(mock.control.counters.tokenRequests).toBe(1);
  });

  it('keeps inside a declared per-client quota: the 3rd forced fetch in a minute fails locally', async () => {
    const { auth, mock } = shopper(
      { tokenRequestsPerMinute: 2 },
      { rateLimit: { perMinute: 2, burst: 0 }, now: () => 0 },
    );
    await auth.getToken({ forceRefresh: true });
    await auth.getToken({ forceRefresh: true });
    const error = await auth.getToken({ forceRefresh: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(mock.control.counters.tokenRequests).toBe(2);
    expect(mock.control.counters.tokenEndpoint429s).toBe(0);
  });
});

describe('option validation', () => {
  const SECRET = 'sfcc-Secret-Value-xyz';
  const shopperValid = { clientId, clientSecret: SECRET, shortCode, tenantId, siteId };
  const adminValid = {
    clientId,
    clientSecret: SECRET,
    shortCode,
    tenantId,
    scopes: ['sfcc.orders'],
  };

  it.each([
    ['tenantId', { tenantId: 'zzrf-001' }],
    ['shortCode', { shortCode: 'kv7.kzm78' }],
    ['siteId', { siteId: '' }],
    ['siteId', { siteId: 'Ref Arch' }],
    ['tokenRequestsPerMinute', { tokenRequestsPerMinute: 0 }],
    ['tokenRequestsPerMinute', { tokenRequestsPerMinute: 1.5 }],
    ['clientSecret', { clientSecret: '' }],
  ])('shopper: rejects a bad %s (%j)', (option, overrides) => {
    const error = thrown(() =>
      salesforceShopperProvider({ ...shopperValid, ...overrides } as never),
    );
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe(option);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it.each([
    ['scopes', { scopes: [] }],
    ['scopes', { scopes: ['SALESFORCE_COMMERCE_API:zzrf_001'] }],
    ['scopes', { scopes: 'sfcc.orders' }],
    ['tenantId', { tenantId: undefined }],
  ])('admin: rejects a bad %s (%j)', (option, overrides) => {
    const error = thrown(() => salesforceAdminProvider({ ...adminValid, ...overrides } as never));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe(option);
  });

  it('suggests the right name for a misspelt option', () => {
    const error = thrown(() => salesforceShopper({ ...shopperValid, siteID: 'x' } as never));
    expect((error as Error).message).toContain('did you mean siteId');
  });
});
