// The preset and the real token manager against @authwire/msw's Oracle Commerce mock.
import { memoryStore, TokenEndpointError, type TokenManager } from '@authwire/core';
import {
  makeOracleApplicationKey,
  manualClock,
  type OracleCommerceMockOptions,
  oracleCommerceMock,
} from '@authwire/msw';
import { settle, useMsw } from '@authwire/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type OracleCommerceOptions, oracleCommerce } from '../src/index.ts';

const msw = useMsw();
const managers: TokenManager[] = [];
const BASE = 'https://example-admin.occa.ocs.oraclecloud.com';

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

function setup(
  mockOptions: OracleCommerceMockOptions = {},
  overrides: Partial<OracleCommerceOptions> = {},
) {
  const clock = manualClock();
  const mock = oracleCommerceMock({ baseUrl: BASE, now: clock.now, ...mockOptions });
  msw.use(...mock.handlers);
  const applicationKey = mock.applicationKeys[0]!;
  const auth = oracleCommerce({
    baseUrl: BASE,
    applicationKey,
    store: memoryStore(),
    clock,
    ...overrides,
  });
  managers.push(auth);
  return { auth, mock, clock, applicationKey };
}

async function orders(auth: ReturnType<typeof oracleCommerce>, api = 'ccadmin') {
  const url = `${auth.baseUrl}/${api}/v1/orders`;
  const authorization = await auth.authorize(url);
  return { response: await fetch(url, { headers: authorization?.headers ?? {} }), authorization };
}

describe('login per API family', () => {
  it.each([
    ['admin', 'ccadmin', 'ccadmin'],
    ['agent', 'ccagent', 'ccagent'],
    ['app', 'ccapp', 'ccadmin'],
    ['appAgent', 'ccappagent', 'ccagent'],
  ] as const)('api %s logs in at /%s/v1/login and calls /%s', async (api, family, served) => {
    const { auth, mock } = setup({}, { api });
    expect(auth.apiUrl).toBe(`${BASE}/${family}/v1`);
    const { response } = await orders(auth, served);
    expect(response.status).toBe(200);
    expect(mock.control.issuedTokens[0]?.family).toBe(family);
    expect(mock.control.counters.logins).toBe(1);
  });
});

describe('expiry', () => {
  it('uses expires_in when the tenant sends it', async () => {
    const { auth } = setup({ tokenLifetime: 930 });
    const token = await auth.getToken();
    expect(token.expiresAt - token.issuedAt).toBe(930_000);
  });

  it('uses the JWT exp claim when expires_in is absent', async () => {
    const { auth } = setup({ expiresIn: false, tokenLifetime: 600 });
    const token = await auth.getToken();
    expect(token.expiresAt - token.issuedAt).toBe(600_000);
  });

  it('falls back to 5 minutes for an opaque token without expires_in', async () => {
    const { auth, mock } = setup({ expiresIn: false, tokenLifetime: 900 });
    mock.control.failNext(1, 'not-jwt');
    const token = await auth.getToken();
    expect(token.expiresAt - token.issuedAt).toBe(300_000);
  });
});

describe('refresh', () => {
  it('refreshes ahead with the current token; the old one stops working', async () => {
    const { auth, mock, clock, applicationKey } = setup();
    const first = await orders(auth);
    clock.advance(250_000);
    // /refresh revokes the old token: a caller in the window waits for the new one instead of
    // being handed a token that dies on the wire.
    const during = await auth.getToken();
    expect(during.accessToken).not.toBe(first.authorization?.token.accessToken);
    expect(mock.control.counters.refreshes).toBe(1);
    await settle();
    const second = await orders(auth);
    expect(second.response.status).toBe(200);
    expect(second.authorization?.token.accessToken).toBe(during.accessToken);
    expect(mock.control.counters.api401s).toBe(0);
    expect(mock.control.issuedTokens[0]?.revokedBy).toBe('refresh');
    expect(mock.control.counters.logins).toBe(1);
    expect(JSON.stringify(mock.control.issuedTokens)).not.toContain(applicationKey);
  });

  it('sends exactly one /refresh for 300 concurrent callers in the refresh window', async () => {
    const { auth, mock, clock } = setup();
    await auth.getToken();
    clock.advance(250_000);
    await Promise.all(Array.from({ length: 300 }, () => auth.getToken()));
    await vi.waitFor(() => expect(mock.control.counters.refreshes).toBe(1));
    await settle();
    const tokens = await Promise.all(Array.from({ length: 300 }, () => auth.getToken()));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(mock.control.counters.refreshes).toBe(1);
    expect(mock.control.counters.logins).toBe(1);
    expect((await orders(auth)).response.status).toBe(200);
  });

  it('sends exactly one /refresh for 300 concurrent callers once the token is past its margin', async () => {
    const { auth, mock, clock } = setup();
    await auth.getToken();
    clock.advance(290_000);
    const tokens = await Promise.all(Array.from({ length: 300 }, () => auth.getToken()));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(mock.control.counters.refreshes).toBe(1);
    expect(mock.control.counters.tokenEndpointCalls).toBe(2);
    expect((await orders(auth)).response.status).toBe(200);
  });

  it('falls back to a login when the refresh is refused (token revoked server-side)', async () => {
    const { auth, mock, clock } = setup();
    await auth.getToken();
    mock.control.revokeAll();
    clock.advance(290_000);
    await auth.getToken();
    expect(mock.control.counters.refreshes).toBe(1);
    expect(mock.control.counters.logins).toBe(2);
    expect((await orders(auth)).response.status).toBe(200);
  });

  it('falls back to a login when the refresh answers without a token', async () => {
    const { auth, mock, clock } = setup();
    await auth.getToken();
    clock.advance(290_000);
    mock.control.failNext(1, 'missing-access-token');
    await auth.getToken();
    expect(mock.control.counters.refreshes).toBe(1);
    expect(mock.control.counters.logins).toBe(2);
  });
});

describe('401 from the API', () => {
  it('logs in again and never refreshes with the rejected token', async () => {
    const { auth, mock } = setup();
    const first = await orders(auth);
    mock.control.revokeAll();
    const url = `${BASE}/ccadmin/v1/orders`;
    expect((await fetch(url, { headers: first.authorization?.headers ?? {} })).status).toBe(401);
    const again = await auth.reauthorize(url, first.authorization!.token);
    expect((await fetch(url, { headers: again?.headers ?? {} })).status).toBe(200);
    expect(mock.control.counters.logins).toBe(2);
    expect(mock.control.counters.refreshes).toBe(0);
  });
});

describe('application key problems', () => {
  it('a reset key fails once with a parsed, non-retryable 401 that hides the key', async () => {
    const oldKey = makeOracleApplicationKey({ subject: 'reset-app' });
    const { auth, mock } = setup({}, { applicationKey: oldKey });
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect((error as TokenEndpointError).error).toEqual(expect.any(String));
    expect((error as TokenEndpointError).errorDescription).toEqual(expect.any(String));
    expect(mock.control.counters.logins).toBe(1);
    expect(JSON.stringify(error)).not.toContain(oldKey);
    expect((error as Error).message).not.toContain(oldKey);
  });
});

describe('close', () => {
  it('logs out with revokeOnClose: true', async () => {
    const { auth, mock } = setup({}, { revokeOnClose: true });
    await auth.getToken();
    await auth.close();
    expect(mock.control.counters.logouts).toBe(1);
    expect(mock.control.issuedTokens[0]?.revokedBy).toBe('logout');
  });

  it('leaves the session alone by default', async () => {
    const { auth, mock } = setup();
    await auth.getToken();
    await auth.close();
    expect(mock.control.counters.logouts).toBe(0);
  });
});
