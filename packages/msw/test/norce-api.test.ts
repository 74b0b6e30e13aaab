import { describe, expect, it } from 'vitest';
import { manualClock, norceMock } from '../src/index.ts';
import { norceAccessToken, norceApi, useMsw } from './support.ts';

const msw = useMsw();
const GET_APPLICATION = '/commerce/metadata/1.1/GetApplication?format=json';
const LIST_PRODUCTS = '/commerce/product/1.1/ListProducts';

describe('Norce services with a valid token', () => {
  it('answers GetApplication and ListProducts', async () => {
    const mock = norceMock({ clientName: 'acme' });
    msw.use(mock);
    const token = await norceAccessToken(mock);
    const app = await norceApi(mock, GET_APPLICATION, token, '1234');
    expect(app.status).toBe(200);
    expect(await app.json()).toEqual({ ApplicationId: 1234, Name: 'acme' });
    const products = await norceApi(mock, LIST_PRODUCTS, token);
    expect(((await products.json()) as { ItemCount: number }).ItemCount).toBe(2);
  });

  it('accepts the application id as application-id too', async () => {
    const mock = norceMock();
    msw.use(mock);
    const token = await norceAccessToken(mock);
    const response = await fetch(`${mock.apiOrigin}${LIST_PRODUCTS}`, {
      headers: { Authorization: `Bearer ${token}`, 'application-id': '77' },
    });
    expect(response.status).toBe(200);
  });

  it('accepts only the configured header name when applicationIdHeader is set', async () => {
    const mock = norceMock({ applicationIdHeader: 'applicationId' });
    msw.use(mock);
    const token = await norceAccessToken(mock);
    const dashed = await fetch(`${mock.apiOrigin}${LIST_PRODUCTS}`, {
      headers: { Authorization: `Bearer ${token}`, 'application-id': '77' },
    });
    expect(dashed.status).toBe(400);
    expect((await norceApi(mock, LIST_PRODUCTS, token)).status).toBe(200);
  });
});

describe('Norce services refuse', () => {
  it('a missing token with 401 and a bare Bearer challenge', async () => {
    const mock = norceMock();
    msw.use(mock);
    const response = await norceApi(mock, LIST_PRODUCTS, null);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('an unknown token with invalid_token', async () => {
    const mock = norceMock();
    msw.use(mock);
    const response = await norceApi(mock, LIST_PRODUCTS, 'a.b.c');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('a token once the clock reaches its expiry', async () => {
    const clock = manualClock();
    const mock = norceMock({ now: clock.now, tokenLifetime: 60 });
    msw.use(mock);
    const token = await norceAccessToken(mock);
    clock.advance(59_999);
    expect((await norceApi(mock, LIST_PRODUCTS, token)).status).toBe(200);
    clock.advance(1);
    const expired = await norceApi(mock, LIST_PRODUCTS, token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(expired.headers.get('www-authenticate')).toContain('expired');
  });

  it('every token issued before revokeAll(), but not later ones', async () => {
    const mock = norceMock({ rateLimit: false });
    msw.use(mock);
    const before = await norceAccessToken(mock);
    mock.control.revokeAll();
    const after = await norceAccessToken(mock);
    expect((await norceApi(mock, LIST_PRODUCTS, before)).status).toBe(401);
    expect((await norceApi(mock, LIST_PRODUCTS, after)).status).toBe(200);
    expect(mock.control.issuedTokens.map((t) => t.revokedBy)).toEqual(['revoke-all', null]);
  });

  it('a missing or non-numeric application id with 400', async () => {
    const mock = norceMock();
    msw.use(mock);
    const token = await norceAccessToken(mock);
    const missing = await norceApi(mock, LIST_PRODUCTS, token, null);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ Message: expect.stringContaining('ApplicationId') });
    expect((await norceApi(mock, LIST_PRODUCTS, token, 'abc')).status).toBe(400);
  });

  it('an application id the client may not use with 403', async () => {
    const mock = norceMock({ applicationIds: [1234] });
    msw.use(mock);
    const token = await norceAccessToken(mock);
    expect((await norceApi(mock, LIST_PRODUCTS, token, '1234')).status).toBe(200);
    expect((await norceApi(mock, LIST_PRODUCTS, token, '999')).status).toBe(403);
  });

  it('the token before the application id (401 wins over 400)', async () => {
    const mock = norceMock();
    msw.use(mock);
    expect((await norceApi(mock, LIST_PRODUCTS, null, null)).status).toBe(401);
  });
});

describe('Norce counters and API record', () => {
  it('records method, path, token index, token state and status of each call', async () => {
    const clock = manualClock();
    const mock = norceMock({ now: clock.now, tokenLifetime: 10 });
    msw.use(mock);
    const first = await norceAccessToken(mock);
    await norceApi(mock, LIST_PRODUCTS, first);
    clock.advance(10_000);
    await norceApi(mock, GET_APPLICATION, first);
    const second = await norceAccessToken(mock);
    await norceApi(mock, GET_APPLICATION, second);
    await norceApi(mock, LIST_PRODUCTS, null);

    expect(mock.control.apiRequests.map(({ at: _at, ...rest }) => rest)).toEqual([
      { method: 'GET', path: LIST_PRODUCTS, tokenIndex: 0, token: 'valid', status: 200 },
      {
        method: 'GET',
        path: '/commerce/metadata/1.1/GetApplication',
        tokenIndex: 0,
        token: 'expired',
        status: 401,
      },
      {
        method: 'GET',
        path: '/commerce/metadata/1.1/GetApplication',
        tokenIndex: 1,
        token: 'valid',
        status: 200,
      },
      { method: 'GET', path: LIST_PRODUCTS, tokenIndex: null, token: 'missing', status: 401 },
    ]);
    expect(mock.control.counters).toEqual({
      tokenEndpointCalls: 2,
      tokenRequests: 2,
      tokensIssued: 2,
      tokenErrors: 0,
      tokenEndpoint429s: 0,
      apiCalls: 4,
      api401s: 2,
      api429s: 0,
    });
  });

  it('returns snapshots, not live state', async () => {
    const mock = norceMock();
    msw.use(mock);
    const counters = mock.control.counters;
    await norceAccessToken(mock);
    expect(counters.tokensIssued).toBe(0);
    expect(mock.control.counters.tokensIssued).toBe(1);
  });
});
