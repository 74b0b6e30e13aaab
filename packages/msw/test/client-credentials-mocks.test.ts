// The commercetools, Salesforce (Account Manager, SLAS) and Shopify mocks: token endpoints as
// documented (client authentication, parameters, lifetimes, errors) and the API's token checks.
import { describe, expect, it } from 'vitest';
import {
  COMMERCETOOLS_MOCK_DEFAULTS,
  commercetoolsMock,
  SALESFORCE_MOCK_DEFAULTS,
  SHOPIFY_MOCK_DEFAULTS,
  salesforceAdminMock,
  salesforceShopperMock,
  shopifyMock,
} from '../src/index.ts';
import { useMsw } from './support.ts';

const msw = useMsw();

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', body: new URLSearchParams(form), headers });
}

describe('commercetoolsMock', () => {
  const { clientId, clientSecret, projectKey } = COMMERCETOOLS_MOCK_DEFAULTS;

  it('issues a 48 h token for Basic client credentials and scopes of the project', async () => {
    const ct = commercetoolsMock();
    msw.use(ct);
    expect(ct.tokenUrl).toBe('https://auth.europe-west1.gcp.commercetools.com/oauth/token');
    const scope = `manage_project:${projectKey} view_products:${projectKey}`;
    const response = await post(
      ct.tokenUrl,
      { grant_type: 'client_credentials', scope },
      {
        Authorization: basic(clientId, clientSecret),
      },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 172_800, scope });
    const api = await fetch(`${ct.apiOrigin}/${projectKey}/products`, {
      headers: { Authorization: `Bearer ${body.access_token}` },
    });
    expect(api.status).toBe(200);
  });

  it('refuses credentials in the body (invalid_client, 401) and foreign scopes (400)', async () => {
    const ct = commercetoolsMock();
    msw.use(ct);
    const inBody = await post(ct.tokenUrl, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(inBody.status).toBe(401);
    expect(await inBody.json()).toMatchObject({ statusCode: 401, error: 'invalid_client' });
    const foreign = await post(
      ct.tokenUrl,
      { grant_type: 'client_credentials', scope: 'manage_project:other-project' },
      { Authorization: basic(clientId, clientSecret) },
    );
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toMatchObject({ errors: [{ code: 'invalid_scope' }] });
    expect(ct.control.counters.tokenErrors).toBe(2);
  });

  it('answers 401 invalid_token for an unknown or expired token', async () => {
    let now = 0;
    const ct = commercetoolsMock({ now: () => now });
    msw.use(ct);
    const token = await post(
      ct.tokenUrl,
      { grant_type: 'client_credentials' },
      {
        Authorization: basic(clientId, clientSecret),
      },
    ).then((r) => r.json() as Promise<{ access_token: string }>);
    now = 172_800_000;
    const expired = await fetch(`${ct.apiOrigin}/${projectKey}`, {
      headers: { Authorization: `Bearer ${token.access_token}` },
    });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: 'invalid_token' });
    expect(ct.control.apiRequests.map((r) => r.token)).toEqual(['expired']);
  });
});

describe('salesforce mocks', () => {
  const { clientId, clientSecret, tenantId, siteId } = SALESFORCE_MOCK_DEFAULTS;

  it('Account Manager: a 1799 s token for the tenant scope; none without it', async () => {
    const admin = salesforceAdminMock();
    msw.use(admin);
    const scope = `SALESFORCE_COMMERCE_API:${tenantId} sfcc.orders`;
    const ok = await post(
      admin.tokenUrl,
      { grant_type: 'client_credentials', scope },
      {
        Authorization: basic(clientId, clientSecret),
      },
    );
    expect(await ok.json()).toMatchObject({ expires_in: 1799, scope });
    const none = await post(
      admin.tokenUrl,
      { grant_type: 'client_credentials' },
      {
        Authorization: basic(clientId, clientSecret),
      },
    );
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual({
      error: 'invalid_scope',
      error_description: expect.any(String),
    });
  });

  it('SLAS: Basic auth and channel_id required; a guest session answer', async () => {
    const shopper = salesforceShopperMock();
    msw.use(shopper);
    expect(shopper.tokenUrl).toBe(
      `https://kv7kzm78.api.commercecloud.salesforce.com/shopper/auth/v1/organizations/f_ecom_${tenantId}/oauth2/token`,
    );
    const auth = { Authorization: basic(clientId, clientSecret) };
    const noChannel = await post(shopper.tokenUrl, { grant_type: 'client_credentials' }, auth);
    expect(noChannel.status).toBe(400);
    const ok = await post(
      shopper.tokenUrl,
      { grant_type: 'client_credentials', channel_id: siteId },
      auth,
    );
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'BEARER', expires_in: 1800 });
    expect(body).toHaveProperty('usid');
    const api = await fetch(
      `${shopper.apiOrigin}/product/shopper-products/v1/organizations/f_ecom_${tenantId}/products`,
      { headers: { Authorization: `Bearer ${body.access_token}` } },
    );
    expect(api.status).toBe(200);
    const denied = await fetch(
      `${shopper.apiOrigin}/product/shopper-products/v1/organizations/f_ecom_${tenantId}/products`,
    );
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ title: 'Unauthorized' });
  });

  it('SLAS: a configured per-client quota answers 429 with Retry-After beyond it', async () => {
    const shopper = salesforceShopperMock({ rateLimit: { perMinute: 2, burst: 0 }, now: () => 0 });
    msw.use(shopper);
    const send = () =>
      post(
        shopper.tokenUrl,
        { grant_type: 'client_credentials', channel_id: siteId },
        {
          Authorization: basic(clientId, clientSecret),
        },
      );
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send()).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(shopper.control.counters.tokenEndpoint429s).toBe(1);
  });
});

describe('shopifyMock', () => {
  const { clientId, clientSecret } = SHOPIFY_MOCK_DEFAULTS;

  it('issues shpat_ tokens for body credentials, read from X-Shopify-Access-Token only', async () => {
    const shop = shopifyMock();
    msw.use(shop);
    const response = await post(shop.tokenUrl, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ expires_in: 86_399, scope: 'read_products,write_products' });
    expect(body).not.toHaveProperty('token_type');
    expect(String(body.access_token)).toMatch(/^shpat_[0-9a-f]{32}$/);
    const url = `${shop.apiOrigin}/admin/api/2026-10/shop.json`;
    const good = await fetch(url, {
      headers: { 'X-Shopify-Access-Token': String(body.access_token) },
    });
    expect(good.status).toBe(200);
    const bearer = await fetch(url, { headers: { Authorization: `Bearer ${body.access_token}` } });
    expect(bearer.status).toBe(401);
    expect(await bearer.json()).toHaveProperty('errors');
  });

  it('refuses a wrong secret with 400 invalid_client', async () => {
    const shop = shopifyMock();
    msw.use(shop);
    const response = await post(shop.tokenUrl, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: 'wrong',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });
});
