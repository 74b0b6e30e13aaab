import { describe, expect, it } from 'vitest';
import { norceMock, oracleCommerceMock } from '../src/index.ts';
import {
  norceAccessToken,
  norceApi,
  norceToken,
  oracleAccessToken,
  oracleLogin,
  useMsw,
} from './support.ts';

const msw = useMsw();
const PRODUCTS = '/commerce/product/1.1/ListProducts';

function setup(): ReturnType<typeof norceMock> {
  const mock = norceMock({ rateLimit: false });
  msw.use(mock);
  return mock;
}

describe('failNext on the token endpoint', () => {
  it.each([500, 502, 503] as const)('answers %i for exactly `count` calls', async (status) => {
    const mock = setup();
    mock.control.failNext(2, { status });
    expect((await norceToken(mock)).status).toBe(status);
    expect((await norceToken(mock)).status).toBe(status);
    expect((await norceToken(mock)).status).toBe(200);
    expect(mock.control.counters).toMatchObject({ tokenEndpointCalls: 3, tokensIssued: 1 });
  });

  it('answers 429 with Retry-After in seconds, as a date, or without it', async () => {
    const mock = setup();
    const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
    mock.control.failNext(1, { status: 429, retryAfter: 7 });
    mock.control.failNext(1, { status: 429, retryAfter: date });
    mock.control.failNext(1, { status: 429 });
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const response = await norceToken(mock);
      seen.push([response.status, response.headers.get('retry-after')]);
    }
    expect(seen).toEqual([
      [429, '7'],
      [429, date],
      [429, null],
    ]);
    expect(mock.control.counters.tokenEndpoint429s).toBe(3);
  });

  it('answers malformed JSON with a JSON content type', async () => {
    const mock = setup();
    mock.control.failNext(1, 'malformed-json');
    const response = await norceToken(mock);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('answers an HTML page with 502 by default or 200 on request', async () => {
    const mock = setup();
    mock.control.failNext(1, 'html');
    mock.control.failNext(1, { html: 200 });
    const gateway = await norceToken(mock);
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get('content-type')).toContain('text/html');
    expect(await gateway.text()).toContain('<html>');
    const ok = await norceToken(mock);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/html');
  });

  it('answers 200 with an empty body', async () => {
    const mock = setup();
    mock.control.failNext(1, 'empty');
    const response = await norceToken(mock);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('fails the connection for network-error', async () => {
    const mock = setup();
    mock.control.failNext(1, 'network-error');
    await expect(norceToken(mock)).rejects.toThrow(TypeError);
    expect((await norceToken(mock)).status).toBe(200);
  });

  it('delays, then answers normally', async () => {
    const mock = setup();
    mock.control.failNext(1, { delayMs: 150 });
    const pending = norceToken(mock);
    const early = await Promise.race([
      pending.then(() => 'answered'),
      new Promise((resolve) => setTimeout(resolve, 50, 'still waiting')),
    ]);
    expect(early).toBe('still waiting');
    expect((await pending).status).toBe(200);
    expect(mock.control.counters.tokensIssued).toBe(1);
  });

  it('answers without access_token and issues nothing', async () => {
    const mock = setup();
    mock.control.failNext(1, 'missing-access-token');
    const body = (await (await norceToken(mock)).json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('access_token');
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(mock.control.counters.tokensIssued).toBe(0);
  });

  it.each([
    ['a string', '3600'],
    ['negative', -1],
    ['zero', 0],
    ['huge', 1e12],
    ['null', null],
  ])('reports expires_in %s while the token stays valid', async (_name, expiresIn) => {
    const mock = setup();
    mock.control.failNext(1, { expiresIn });
    const body = (await (await norceToken(mock)).json()) as Record<string, unknown>;
    expect(body.expires_in).toStrictEqual(expiresIn);
    expect((await norceApi(mock, PRODUCTS, body.access_token as string)).status).toBe(200);
  });

  it('omits expires_in for { expiresIn: undefined }', async () => {
    const mock = setup();
    mock.control.failNext(1, { expiresIn: undefined });
    const body = (await (await norceToken(mock)).json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('expires_in');
    expect(typeof body.access_token).toBe('string');
  });

  it('issues an opaque token that the API accepts', async () => {
    const mock = setup();
    mock.control.failNext(1, 'not-jwt');
    const token = await norceAccessToken(mock);
    expect(token).not.toContain('.');
    expect((await norceApi(mock, PRODUCTS, token)).status).toBe(200);
  });

  it('rejects a bad count', () => {
    const mock = setup();
    expect(() => mock.control.failNext(-1, 'empty')).toThrow(RangeError);
    expect(() => mock.control.failNextApi(1.5, 'empty')).toThrow(RangeError);
  });

  it('applies to Oracle login and refresh, not logout', async () => {
    const mock = oracleCommerceMock();
    msw.use(mock);
    mock.control.failNext(1, { status: 503 });
    expect((await oracleLogin(mock)).status).toBe(503);
    const token = await oracleAccessToken(mock);
    mock.control.failNext(1, 'html');
    const refresh = await fetch(mock.url('ccadmin', 'refresh'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(refresh.status).toBe(502);
    mock.control.failNext(1, { status: 500 });
    const logout = await fetch(mock.url('ccadmin', 'logout'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(await logout.json()).toEqual({ result: true });
    expect((await oracleLogin(mock)).status).toBe(500);
  });

  it('shapes Oracle token bodies too (expiresIn, not-jwt)', async () => {
    const mock = oracleCommerceMock({ expiresIn: false });
    msw.use(mock);
    mock.control.failNext(1, { expiresIn: 'soon' });
    mock.control.failNext(1, 'not-jwt');
    expect(await (await oracleLogin(mock)).json()).toMatchObject({ expires_in: 'soon' });
    const opaque = (await (await oracleLogin(mock)).json()) as { access_token: string };
    expect(opaque.access_token).toMatch(/^[0-9a-f]+$/);
  });
});

describe('failNextApi', () => {
  it('answers a spurious 401 in the platform shape once, then serves the same token', async () => {
    const mock = setup();
    const token = await norceAccessToken(mock);
    mock.control.failNextApi(1, { status: 401 });
    const first = await norceApi(mock, PRODUCTS, token);
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await norceApi(mock, PRODUCTS, token)).status).toBe(200);
    expect(mock.control.apiRequests.map((r) => [r.tokenIndex, r.token, r.status])).toEqual([
      [0, 'valid', 401],
      [0, 'valid', 200],
    ]);
    expect(mock.control.counters.api401s).toBe(1);
  });

  it('answers 429 and 5xx before checking the token', async () => {
    const mock = setup();
    mock.control.failNextApi(1, { status: 429, retryAfter: 3 });
    mock.control.failNextApi(1, { status: 503 });
    const limited = await norceApi(mock, PRODUCTS, null);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    expect((await norceApi(mock, PRODUCTS, null)).status).toBe(503);
    expect((await norceApi(mock, PRODUCTS, null)).status).toBe(401);
    expect(mock.control.counters).toMatchObject({ apiCalls: 3, api429s: 1, api401s: 1 });
  });

  it('records a network error as status 0', async () => {
    const mock = setup();
    const token = await norceAccessToken(mock);
    mock.control.failNextApi(1, 'network-error');
    await expect(norceApi(mock, PRODUCTS, token)).rejects.toThrow(TypeError);
    expect(mock.control.apiRequests[0]).toMatchObject({ status: 0, tokenIndex: 0 });
  });

  it('renders an Oracle-shaped 401 on Oracle', async () => {
    const mock = oracleCommerceMock();
    msw.use(mock);
    const token = await oracleAccessToken(mock);
    mock.control.failNextApi(1, { status: 401 });
    const response = await fetch(`${mock.apiOrigin}/ccadmin/v1/orders`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ status: '401' });
  });

  it('is cleared by reset()', async () => {
    const mock = setup();
    mock.control.failNextApi(3, 'empty');
    mock.control.failNext(3, 'empty');
    mock.control.reset();
    const token = await norceAccessToken(mock);
    expect((await norceApi(mock, PRODUCTS, token)).status).toBe(200);
  });
});
