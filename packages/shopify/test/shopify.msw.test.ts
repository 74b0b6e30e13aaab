// The shopify() preset and the real token manager against @authwire/msw's Shopify mock: the token
// travels in X-Shopify-Access-Token through authFetch and the adapters' seam.
import {
  authFetch,
  InvalidOptionsError,
  memoryStore,
  TokenEndpointError,
  type TokenManager,
} from '@authwire/core';
import { requestAuth } from '@authwire/core/kit';
import { SHOPIFY_MOCK_DEFAULTS, shopifyMock } from '@authwire/msw';
import { thrown, useMsw } from '@authwire/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { type ShopifyOptions, shopify, shopifyProvider } from '../src/index.ts';

const msw = useMsw();
const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

const { clientId, clientSecret, shop } = SHOPIFY_MOCK_DEFAULTS;

function setup(overrides: Partial<ShopifyOptions> = {}) {
  const mock = shopifyMock();
  msw.use(...mock.handlers);
  const auth = shopify({ clientId, clientSecret, shop, store: memoryStore(), ...overrides });
  managers.push(auth);
  return { auth, mock };
}

describe('shopify() against the mock', () => {
  it('sends the token as X-Shopify-Access-Token, never as Authorization', async () => {
    const { auth } = setup();
    expect(auth.tokenUrl).toBe(`https://${shop}.myshopify.com/admin/oauth/access_token`);
    expect(auth.adminApiUrl).toBe(`https://${shop}.myshopify.com/admin/api/2026-10`);
    const authorization = await auth.authorize(`${auth.adminApiUrl}/shop.json`);
    expect(Object.keys(authorization?.headers ?? {})).toEqual(['X-Shopify-Access-Token']);
    expect(authorization?.headers['X-Shopify-Access-Token']).toMatch(/^shpat_/);
    const response = await authFetch(auth)(`${auth.adminApiUrl}/graphql.json`, {
      method: 'POST',
      body: JSON.stringify({ query: '{ shop { name } }' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(await response.json()).toEqual({ data: { shop: { name: shop } } });
  });

  it('takes the ~24 h lifetime from expires_in', async () => {
    const { auth } = setup();
    const token = await auth.getToken();
    expect(token.expiresAt - token.issuedAt).toBe(86_399_000);
  });

  it('one token request for 200 cold callers; one more after a revocation for 100, with replayed bodies', async () => {
    const { auth, mock } = setup();
    const call = authFetch(auth);
    const query = (i: number) =>
      call(`${auth.adminApiUrl}/graphql.json`, {
        method: 'POST',
        body: JSON.stringify({ query: `{ shop { name } } # ${i}` }),
      });
    const first = await Promise.all(Array.from({ length: 200 }, (_, i) => query(i)));
    expect(first.every((r) => r.status === 200)).toBe(true);
    mock.control.revokeAll();
    const second = await Promise.all(Array.from({ length: 100 }, (_, i) => query(i)));
    expect(second.every((r) => r.status === 200)).toBe(true);
    expect(mock.control.counters.tokenRequests).toBe(2);
    expect(mock.control.counters.api401s).toBe(100);
  });

  it('strips and redacts X-Shopify-Access-Token like Authorization', async () => {
    const { auth } = setup();
    const seam = requestAuth(auth);
    const sent = await seam.authorize({ url: `${auth.baseUrl}/admin/api/2026-10/shop.json` });
    expect(Object.keys(sent ?? {})).toEqual(['X-Shopify-Access-Token']);
    expect(seam.fetchWouldLeak(sent!)).toBe(true);
    const away = new Headers(sent);
    seam.onRedirect('https://cdn.shopify.com/x', away);
    expect(away.has('x-shopify-access-token')).toBe(false);
    const headers = new Headers({ 'X-Shopify-Access-Token': 'shpat_x' });
    seam.redact(headers);
    expect(headers.get('x-shopify-access-token')).toBe('[redacted]');
    expect(await auth.authorize('https://other-shop.myshopify.com/admin')).toBeUndefined();
  });

  it('fails with a non-retryable TokenEndpointError for a wrong secret, without it', async () => {
    const { auth, mock } = setup({ clientSecret: 'shpss_wrong_secret_value' });
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 400, error: 'invalid_client', retryable: false });
    expect(JSON.stringify(error)).not.toContain('shpss_wrong_secret_value');
    expect(mock.control.counters.tokenRequests).toBe(1);
  });
});

describe('options', () => {
  const valid = { clientId: 'id', clientSecret: 'shpss_Secret_123', shop: 'acme' };

  it('accepts the shop with or without .myshopify.com', () => {
    expect(shopifyProvider(valid).shop).toBe('acme.myshopify.com');
    expect(shopifyProvider({ ...valid, shop: 'Acme.myshopify.com' }).baseUrl).toBe(
      'https://acme.myshopify.com',
    );
  });

  it.each([
    ['shop', { shop: 'acme.example.com' }],
    ['shop', { shop: 'https://acme.myshopify.com' }],
    ['shop', { shop: '' }],
    ['apiVersion', { apiVersion: '2026-11' }],
    ['apiVersion', { apiVersion: 'latest' }],
    ['clientSecret', { clientSecret: undefined }],
    ['tokenUrl', { tokenUrl: 'nope' }],
  ])('rejects a bad %s (%j)', (option, overrides) => {
    const error = thrown(() => shopifyProvider({ ...valid, ...overrides } as never));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe(option);
    expect(JSON.stringify(error)).not.toContain('shpss_Secret_123');
  });

  it('suggests the right name for a misspelt option', () => {
    const error = thrown(() => shopify({ ...valid, apiVerison: '2026-10' } as never));
    expect((error as Error).message).toContain('did you mean apiVersion');
  });
});
