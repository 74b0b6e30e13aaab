// The preset and the real token manager against @authwire/msw's Norce mock.

import {
  memoryStore,
  RateLimitedError,
  TokenEndpointError,
  type TokenManager,
} from '@authwire/core';
import { manualClock, NORCE_MOCK_DEFAULTS, type NorceMockOptions, norceMock } from '@authwire/msw';
import { runUntilSettled, useMsw } from '@authwire/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { type NorceEnvironment, type NorceOptions, norce } from '../src/index.ts';

const msw = useMsw();
const managers: TokenManager[] = [];

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

function setup(mockOptions: NorceMockOptions = {}, overrides: Partial<NorceOptions> = {}) {
  const clock = manualClock();
  const location = { clientName: 'acme', region: 'se', environment: 'playground' as const };
  const mock = norceMock({ ...location, now: clock.now, ...mockOptions });
  msw.use(...mock.handlers);
  const auth = norce({
    clientId: NORCE_MOCK_DEFAULTS.clientId,
    clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
    applicationId: NORCE_MOCK_DEFAULTS.applicationId,
    ...location,
    ...(mockOptions.environment ? { environment: mockOptions.environment } : {}),
    store: memoryStore(),
    clock,
    ...overrides,
  });
  managers.push(auth);
  return { auth, mock, clock };
}

/** GET a Norce service the way a user's client would. */
async function callApi(auth: ReturnType<typeof norce>, path: string): Promise<Response> {
  const url = `${auth.baseUrl}${path}`;
  const authorization = await auth.authorize(url);
  return fetch(url, { headers: authorization?.headers ?? {} });
}

describe('URLs and scopes against the mock', () => {
  it.each(['playground', 'stage', 'production'] as NorceEnvironment[])(
    'gets a token and calls GetApplication in %s',
    async (environment) => {
      const { auth, mock } = setup({ environment });
      expect(auth.tokenUrl).toBe(mock.tokenUrl);
      expect(auth.baseUrl).toBe(mock.apiOrigin);
      const response = await callApi(auth, '/commerce/metadata/1.1/GetApplication?format=json');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ApplicationId: 1234 });
      expect(mock.control.issuedTokens[0]?.scope).toBe(environment);
    },
  );

  it('uses the Storm identity with its lab scope', async () => {
    const { auth, mock } = setup({ storm: true }, { storm: true });
    expect(auth.tokenUrl).toBe('https://identity.storm.io/1.0/connect/token');
    expect(mock.tokenUrl).toBe(auth.tokenUrl);
    const response = await callApi(auth, '/commerce/product/1.1/ListProducts');
    expect(response.status).toBe(200);
    expect(mock.control.issuedTokens[0]?.scope).toBe('lab');
  });

  it.each([
    ['playground', 'lab'],
    ['stage', 'lab'],
    ['production', 'prod'],
  ] as const)('sends an explicit scope in %s (%s)', async (environment, scope) => {
    const { auth, mock } = setup({ environment }, { scope });
    expect((await callApi(auth, '/commerce/metadata/1.1/GetApplication')).status).toBe(200);
    expect(mock.control.issuedTokens[0]?.scope).toBe(scope);
  });

  it('reports a scope the installation refuses as invalid_scope', async () => {
    const { auth } = setup({}, { scope: 'qa' });
    await expect(auth.getToken()).rejects.toMatchObject({
      name: 'TokenEndpointError',
      status: 400,
      error: 'invalid_scope',
      retryable: false,
    });
  });

  it('works through tokenUrl / baseUrl overrides on loopback', async () => {
    const { auth } = setup(
      { baseUrl: 'http://127.0.0.1:18080' },
      {
        tokenUrl: 'http://127.0.0.1:18080/identity/1.0/connect/token',
        baseUrl: 'http://127.0.0.1:18080',
      },
    );
    expect((await callApi(auth, '/commerce/metadata/1.1/GetApplication')).status).toBe(200);
  });
});

describe('ApplicationId header', () => {
  it('is required by the services and added by the manager', async () => {
    const { auth, mock } = setup();
    const url = `${auth.baseUrl}/commerce/metadata/1.1/GetApplication`;
    const token = await auth.getToken();
    const bare = await fetch(url, { headers: { Authorization: `Bearer ${token.accessToken}` } });
    expect(bare.status).toBe(400);
    expect((await callApi(auth, '/commerce/metadata/1.1/GetApplication')).status).toBe(200);
    expect(mock.control.counters.tokenEndpointCalls).toBe(1);
  });

  it('uses the configured header name', async () => {
    const { auth } = setup(
      { applicationIdHeader: 'application-id' },
      { applicationIdHeader: 'application-id' },
    );
    expect((await callApi(auth, '/commerce/metadata/1.1/GetApplication')).status).toBe(200);
  });
});

describe('expiry', () => {
  it.each([600, 3600])('takes expires_in = %i from the answer', async (tokenLifetime) => {
    const { auth, clock } = setup({ tokenLifetime });
    const token = await auth.getToken();
    expect(token.expiresAt - token.issuedAt).toBe(tokenLifetime * 1000);
    expect(token.issuedAt).toBe(clock.now());
  });

  it('gets a new token when the 600 s one runs out', async () => {
    const { auth, mock, clock } = setup({ tokenLifetime: 600 });
    const first = await auth.getToken();
    clock.advance(590_000);
    const second = await auth.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(mock.control.counters.tokenEndpointCalls).toBe(2);
  });
});

describe('errors and 401 healing', () => {
  it('reports a wrong secret as invalid_client without echoing it', async () => {
    const { auth, mock } = setup({}, { clientSecret: 'wrong-secret-value' });
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 400, error: 'invalid_client', retryable: false });
    expect(JSON.stringify(error)).not.toContain('wrong-secret-value');
    expect((error as Error).message).not.toContain('wrong-secret-value');
    expect(mock.control.counters.tokenEndpointCalls).toBe(1);
  });

  it('gets a fresh token after the API answers 401', async () => {
    const { auth, mock } = setup();
    const url = `${auth.baseUrl}/commerce/metadata/1.1/GetApplication`;
    const first = await auth.authorize(url);
    mock.control.revokeAll();
    expect((await fetch(url, { headers: first?.headers ?? {} })).status).toBe(401);
    const again = await auth.reauthorize(url, first!.token);
    expect((await fetch(url, { headers: again?.headers ?? {} })).status).toBe(200);
    expect(mock.control.counters.tokenEndpointCalls).toBe(2);
  });
});

describe('rate limit', () => {
  it('makes exactly one token request for 200 concurrent cold callers, and no 429', async () => {
    const { auth, mock } = setup();
    const tokens = await Promise.all(Array.from({ length: 200 }, () => auth.getToken()));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(mock.control.counters.tokenEndpointCalls).toBe(1);
    expect(mock.control.counters.tokenEndpoint429s).toBe(0);
  });

  it('shares one request among 200 cold callers of 4 managers of the same client', async () => {
    const { mock, clock } = setup();
    const store = memoryStore();
    const extra = Array.from({ length: 4 }, () =>
      norce({
        clientId: NORCE_MOCK_DEFAULTS.clientId,
        clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
        applicationId: NORCE_MOCK_DEFAULTS.applicationId,
        environment: 'playground',
        clientName: 'acme',
        region: 'se',
        store,
        clock,
      }),
    );
    managers.push(...extra);
    await Promise.all(Array.from({ length: 200 }, (_, i) => extra[i % 4]!.getToken()));
    expect(mock.control.counters.tokenEndpointCalls).toBe(1);
  });

  it('spaces 30 forced refreshes to the published limit: waits instead of a 429', async () => {
    const { auth, mock, clock } = setup(
      {},
      { maxRetryAfterMs: 60_000, requestTimeoutMs: 24 * 3_600_000 },
    );
    const started = clock.now();
    for (let i = 0; i < 30; i++) {
      await runUntilSettled(clock, auth.getToken({ forceRefresh: true }));
    }
    expect(mock.control.counters.tokenEndpointCalls).toBe(30);
    expect(mock.control.counters.tokenEndpoint429s).toBe(0);
    // A burst of 20, then one every 20 s (3 per minute).
    expect(clock.now() - started).toBeGreaterThanOrEqual(10 * 20_000);
  });

  it('fails fast locally rather than sending a request the server would refuse', async () => {
    const { auth, mock } = setup();
    for (let i = 0; i < 20; i++) await auth.getToken({ forceRefresh: true });
    await expect(auth.getToken({ forceRefresh: true })).rejects.toBeInstanceOf(RateLimitedError);
    expect(mock.control.counters.tokenEndpointCalls).toBe(20);
    expect(mock.control.counters.tokenEndpoint429s).toBe(0);
  });
});
