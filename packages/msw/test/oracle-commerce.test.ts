import { describe, expect, it } from 'vitest';
import {
  makeOracleApplicationKey,
  manualClock,
  ORACLE_API_FAMILIES,
  ORACLE_MOCK_ERROR_CODES,
  oracleCommerceMock,
} from '../src/index.ts';
import { oracleAccessToken, oracleLogin, segment, useMsw } from './support.ts';

const msw = useMsw();

function post(url: string, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  });
}

function orders(mock: ReturnType<typeof oracleCommerceMock>, token?: string, api = 'ccadmin') {
  return fetch(`${mock.apiOrigin}/${api}/v1/orders`, {
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  });
}

describe('Oracle login', () => {
  it.each(ORACLE_API_FAMILIES)('issues a bearer token on /%s/v1/login', async (family) => {
    const mock = oracleCommerceMock();
    msw.use(mock);
    const response = await oracleLogin(mock, family);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 300,
    });
    expect(mock.control.issuedTokens[0]?.family).toBe(family);
  });

  it('answers only access_token and token_type when expiresIn is false', async () => {
    const mock = oracleCommerceMock({ expiresIn: false });
    msw.use(mock);
    const body = (await (await oracleLogin(mock)).json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'token_type']);
  });

  it('issues JWTs with Oracle’s standard-base64 signature and exp from the clock', async () => {
    const clock = manualClock();
    const key = makeOracleApplicationKey({ subject: 'integration-7' });
    const mock = oracleCommerceMock({ now: clock.now, applicationKey: key, tokenLifetime: 900 });
    msw.use(mock);
    const token = await oracleAccessToken(mock);
    const [, , signature] = token.split('.');
    expect(signature).toMatch(/^[A-Za-z0-9+/]+=$/);
    const iat = Math.floor(clock.now() / 1000);
    expect(segment(token, 1)).toMatchObject({ sub: 'integration-7', iat, exp: iat + 900 });
    expect(segment(token, 1).jti).toEqual(expect.any(String));
  });

  it('refuses a missing or unknown application key with a string status', async () => {
    const mock = oracleCommerceMock();
    msw.use(mock);
    for (const key of [null, makeOracleApplicationKey()]) {
      const response = await oracleLogin(mock, 'ccadmin', key);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        message: expect.any(String),
        status: '401',
        errorCode: ORACLE_MOCK_ERROR_CODES.invalidApplicationKey,
      });
    }
    expect(mock.control.counters).toMatchObject({ logins: 2, tokenErrors: 2, tokensIssued: 0 });
  });

  it('accepts any of several application keys', async () => {
    const keys = [makeOracleApplicationKey(), makeOracleApplicationKey()];
    const mock = oracleCommerceMock({ applicationKeys: keys });
    msw.use(mock);
    expect((await oracleLogin(mock, 'ccagent', keys[1])).status).toBe(200);
    expect(mock.control.issuedTokens[0]?.applicationKeyIndex).toBe(1);
  });

  it('refuses a missing or wrong grant type with 400', async () => {
    const mock = oracleCommerceMock();
    msw.use(mock);
    const headers = { Authorization: `Bearer ${mock.applicationKeys[0]}` };
    const empty = await fetch(mock.tokenUrl, { method: 'POST', headers });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({
      status: '400',
      errorCode: ORACLE_MOCK_ERROR_CODES.invalidGrantType,
    });
    const password = await fetch(mock.tokenUrl, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ grant_type: 'password' }),
    });
    expect(password.status).toBe(400);
  });

  it('accepts grant_type as a query parameter with an empty body', async () => {
    const mock = oracleCommerceMock();
    msw.use(mock);
    const response = await fetch(`${mock.tokenUrl}?grant_type=client_credentials`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${mock.applicationKeys[0]}` },
    });
    expect(response.status).toBe(200);
  });
});

describe('Oracle refresh, logout, verify', () => {
  it('refresh issues a new token and invalidates the old one', async () => {
    const clock = manualClock();
    const mock = oracleCommerceMock({ now: clock.now });
    msw.use(mock);
    const old = await oracleAccessToken(mock);
    clock.advance(200_000);
    const response = await post(mock.url('ccadmin', 'refresh'), old);
    expect(response.status).toBe(200);
    const fresh = ((await response.json()) as { access_token: string }).access_token;
    expect(fresh).not.toBe(old);
    expect((await orders(mock, old)).status).toBe(401);
    // "Restarts the clock": valid for a full lifetime from the refresh.
    clock.advance(299_000);
    expect((await orders(mock, fresh)).status).toBe(200);
    expect(mock.control.issuedTokens.map((t) => t.revokedBy)).toEqual(['refresh', null]);
    expect(mock.control.counters).toMatchObject({ logins: 1, refreshes: 1, tokenEndpointCalls: 2 });
  });

  it('refresh refuses expired, refreshed, unknown and other-family tokens', async () => {
    const clock = manualClock();
    const mock = oracleCommerceMock({ now: clock.now });
    msw.use(mock);
    const admin = await oracleAccessToken(mock);
    const agent = await oracleAccessToken(mock, 'ccagent');
    const refresh = mock.url('ccadmin', 'refresh');
    expect((await post(refresh, agent)).status).toBe(401);
    expect((await post(refresh, 'x.y.z')).status).toBe(401);
    expect((await post(refresh)).status).toBe(401);
    expect((await post(refresh, admin)).status).toBe(200);
    const reused = await post(refresh, admin);
    expect(reused.status).toBe(401);
    expect(await reused.json()).toMatchObject({ status: '401' });
    const late = await oracleAccessToken(mock);
    clock.advance(300_000);
    expect((await post(refresh, late)).status).toBe(401);
  });

  it('logout answers { result: true } and the token stops working', async () => {
    const mock = oracleCommerceMock();
    msw.use(mock);
    const token = await oracleAccessToken(mock);
    const response = await post(mock.url('ccadmin', 'logout'), token);
    expect(await response.json()).toEqual({ result: true });
    expect((await orders(mock, token)).status).toBe(401);
    expect((await post(mock.url('ccadmin', 'logout'), token)).status).toBe(401);
    expect(mock.control.counters.logouts).toBe(2);
  });

  it('verify answers { success } for the bearer token', async () => {
    const mock = oracleCommerceMock();
    msw.use(mock);
    const token = await oracleAccessToken(mock);
    const verify = async (t?: string) => (await post(mock.url('ccadmin', 'verify'), t)).json();
    expect(await verify(token)).toEqual({ success: true });
    expect(await verify()).toEqual({ success: false });
    mock.control.revokeAll();
    expect(await verify(token)).toEqual({ success: false });
    expect(mock.control.counters.verifies).toBe(3);
  });
});

describe('Oracle protected endpoints', () => {
  it('lists orders in Oracle’s envelope for a valid token', async () => {
    const mock = oracleCommerceMock();
    msw.use(mock);
    const response = await orders(mock, await oracleAccessToken(mock));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ total: 2, offset: 0, items: expect.any(Array) });
  });

  it('answers 401 in the error model for missing, expired and revoked tokens', async () => {
    const clock = manualClock();
    const mock = oracleCommerceMock({ now: clock.now });
    msw.use(mock);
    const missing = await orders(mock);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      message: expect.any(String),
      status: '401',
      errorCode: ORACLE_MOCK_ERROR_CODES.invalidToken,
    });
    const token = await oracleAccessToken(mock);
    clock.advance(300_000);
    expect((await orders(mock, token)).status).toBe(401);
    const revoked = await oracleAccessToken(mock);
    mock.control.revokeAll();
    expect((await orders(mock, revoked)).status).toBe(401);
    expect(mock.control.apiRequests.map((r) => r.token)).toEqual(['missing', 'expired', 'revoked']);
    expect(mock.control.counters.api401s).toBe(3);
  });

  it('binds tokens to their API: admin and ccapp on /ccadmin, agent and ccappagent on /ccagent', async () => {
    const mock = oracleCommerceMock();
    msw.use(mock);
    const status = async (family: (typeof ORACLE_API_FAMILIES)[number], api: string) =>
      (await orders(mock, await oracleAccessToken(mock, family), api)).status;
    expect(await status('ccadmin', 'ccadmin')).toBe(200);
    expect(await status('ccapp', 'ccadmin')).toBe(200);
    expect(await status('ccadmin', 'ccagent')).toBe(401);
    expect(await status('ccagent', 'ccagent')).toBe(200);
    expect(await status('ccappagent', 'ccagent')).toBe(200);
    expect(await status('ccagent', 'ccadmin')).toBe(401);
  });
});
