import {
  InvalidOptionsError,
  memoryStore,
  TokenEndpointError,
  type TokenEvent,
  type TokenManager,
} from '@authwire/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type OracleCommerceOptions, oracleCommerce } from '../src/index.ts';
import { APP_KEY } from './jwt.ts';
import { type OccStubOptions, occStub } from './occ-stub.ts';

const NOW = 1_700_000_000_000;
const BASE = 'https://ccadmin-z1ab.oracleoutsourcing.com';
const managers: TokenManager[] = [];

function setup(stubOptions: OccStubOptions = {}, overrides: Partial<OracleCommerceOptions> = {}) {
  const stub = occStub(stubOptions);
  const events: TokenEvent[] = [];
  const auth = oracleCommerce({
    baseUrl: BASE,
    applicationKey: APP_KEY,
    store: memoryStore(),
    fetch: stub.fetch,
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  managers.push(auth);
  return { auth, stub, events };
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
  vi.useRealTimers();
});

describe('oracleCommerce() preset', () => {
  it('returns a token manager with the settled URLs', () => {
    const { auth } = setup({}, { api: 'agent' });
    expect(auth.baseUrl).toBe(BASE);
    expect(auth.api).toBe('agent');
    expect(auth.apiUrl).toBe(`${BASE}/ccagent/v1`);
    expect(auth.origins).toEqual([BASE]);
    expect(auth.key).not.toContain(APP_KEY);
  });

  it('logs in with the application key and authorizes API calls', async () => {
    const { auth, stub } = setup({ expiresIn: 300 });
    const authorization = await auth.authorize(`${auth.apiUrl}/orders`);
    expect(authorization?.headers).toEqual({ Authorization: 'Bearer occ-token-1' });
    expect(stub.paths()).toEqual(['/ccadmin/v1/login']);
    const [login] = stub.requests;
    expect(login?.headers.get('authorization')).toBe(`Bearer ${APP_KEY}`);
    expect(login?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(login?.body).toBe('grant_type=client_credentials');
    expect(await auth.authorize('https://other.example.com/')).toBeUndefined();
  });

  it('fails with InvalidOptionsError, not a TypeError, for a non-object', () => {
    expect(() => oracleCommerce(null as unknown as OracleCommerceOptions)).toThrow(
      InvalidOptionsError,
    );
  });
});

describe('expiry', () => {
  it('uses expires_in when present', async () => {
    const { auth } = setup({ expiresIn: 930 });
    const token = await auth.getToken();
    expect(token.expiresAt - token.issuedAt).toBe(930_000);
  });

  it('falls back to the JWT exp claim', async () => {
    const { auth } = setup({ expClaimSeconds: 600 });
    const token = await auth.getToken();
    expect(token.expiresAt - token.issuedAt).toBe(600_000);
  });

  it('falls back to the documented 5 minutes without either', async () => {
    const { auth } = setup();
    const token = await auth.getToken();
    expect(token.expiresAt - token.issuedAt).toBe(300_000);
  });
});

describe('refresh', () => {
  it('refreshes ahead of expiry with the current token, then serves the new one', async () => {
    const { auth, stub } = setup();
    const first = await auth.getToken();
    await vi.advanceTimersByTimeAsync(250_000);
    // /refresh revokes the old token (refreshRevokesPrevious): the caller waits for the new one.
    expect((await auth.getToken()).accessToken).toBe('occ-token-2');
    expect(stub.paths()).toEqual(['/ccadmin/v1/login', '/ccadmin/v1/refresh']);
    const refresh = stub.requests[1];
    expect(refresh?.headers.get('authorization')).toBe(`Bearer ${first.accessToken}`);
    expect(JSON.stringify([...(refresh?.headers ?? [])])).not.toContain(APP_KEY);
    expect((await auth.getToken()).accessToken).toBe('occ-token-2');
    expect(stub.valid.has(first.accessToken)).toBe(false);
  });

  it('makes exactly one /refresh for 300 concurrent callers in the refresh window', async () => {
    const { auth, stub } = setup();
    await auth.getToken();
    await vi.advanceTimersByTimeAsync(250_000);
    await Promise.all(Array.from({ length: 300 }, () => auth.getToken()));
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all(Array.from({ length: 300 }, () => auth.getToken()));
    expect(stub.paths()).toEqual(['/ccadmin/v1/login', '/ccadmin/v1/refresh']);
    // Every later caller holds a token the server still accepts.
    expect(stub.valid.has((await auth.getToken()).accessToken)).toBe(true);
  });

  it('makes exactly one /refresh for concurrent callers once the token is hard-expired', async () => {
    const { auth, stub } = setup();
    await auth.getToken();
    await vi.advanceTimersByTimeAsync(290_000);
    const tokens = await Promise.all(Array.from({ length: 200 }, () => auth.getToken()));
    expect(stub.paths()).toEqual(['/ccadmin/v1/login', '/ccadmin/v1/refresh']);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['occ-token-2']));
  });

  it('falls back to a login when the refresh is refused', async () => {
    const { auth, stub } = setup({ refreshStatus: 401 });
    await auth.getToken();
    await vi.advanceTimersByTimeAsync(290_000);
    expect((await auth.getToken()).accessToken).toBe('occ-token-2');
    expect(stub.paths()).toEqual(['/ccadmin/v1/login', '/ccadmin/v1/refresh', '/ccadmin/v1/login']);
  });

  it('retries a /refresh that answered 5xx once, then logs in: login works', async () => {
    const { auth, stub } = setup({ refreshStatus: 503 }, { retryBaseDelayMs: 10 });
    await auth.getToken();
    await vi.advanceTimersByTimeAsync(290_000);
    const pending = auth.getToken();
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await pending).accessToken).toBe('occ-token-2');
    expect(stub.paths()).toEqual([
      '/ccadmin/v1/login',
      '/ccadmin/v1/refresh',
      '/ccadmin/v1/refresh',
      '/ccadmin/v1/login',
    ]);
  });

  it('keeps the old token while it lives when /refresh and login are both down', async () => {
    const { auth, stub } = setup({ refreshStatus: 503 }, { retryBaseDelayMs: 10 });
    await auth.getToken();
    (stub.options as { loginStatus?: number }).loginStatus = 503;
    await vi.advanceTimersByTimeAsync(290_000);
    const pending = Promise.all(Array.from({ length: 100 }, () => auth.getToken()));
    await vi.advanceTimersByTimeAsync(1_000);
    // The refresh failed without revoking anything: every caller gets the old token.
    const tokens = await pending;
    expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set(['occ-token-1']));
    expect(stub.paths().filter((p) => p.endsWith('/refresh'))).toHaveLength(3);
  });
});

describe('after a 401 from the API', () => {
  it('logs in again, never refreshing with the rejected token', async () => {
    const { auth, stub } = setup();
    const first = await auth.authorize(`${BASE}/ccadmin/v1/orders`);
    await vi.advanceTimersByTimeAsync(250_000);
    const again = await auth.reauthorize(`${BASE}/ccadmin/v1/orders`, first!.token);
    expect(again?.headers.Authorization).toBe('Bearer occ-token-2');
    expect(stub.paths()).toEqual(['/ccadmin/v1/login', '/ccadmin/v1/login']);
  });
});

describe('errors', () => {
  it('a reset application key (401 on login) fails once, parsed, without the key', async () => {
    const { auth, stub } = setup({ loginStatus: 401 });
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({
      status: 401,
      error: '83001',
      errorDescription: 'Login failed',
      retryable: false,
    });
    expect(stub.requests).toHaveLength(1);
    expect(JSON.stringify(error)).not.toContain(APP_KEY);
    expect((error as Error).message).not.toContain(APP_KEY);
  });
});

describe('close', () => {
  it('logs out on close() with revokeOnClose: true', async () => {
    const { auth, stub } = setup({}, { revokeOnClose: true });
    const token = await auth.getToken();
    await auth.close();
    expect(stub.paths()).toEqual(['/ccadmin/v1/login', '/ccadmin/v1/logout']);
    expect(stub.requests[1]?.headers.get('authorization')).toBe(`Bearer ${token.accessToken}`);
    expect(stub.valid.size).toBe(0);
  });

  it('does not log out by default', async () => {
    const { auth, stub } = setup();
    await auth.getToken();
    await auth.close();
    expect(stub.paths()).toEqual(['/ccadmin/v1/login']);
  });
});

describe('oracleCommerce() when the host does not resolve', () => {
  it('names baseUrl as the option to check', async () => {
    const auth = oracleCommerce({
      baseUrl: 'https://ccadmin-z1ab.oracleoutsourcing.example',
      applicationKey: APP_KEY,
      store: memoryStore(),
      maxAttempts: 1,
      fetch: () => {
        throw Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }),
        });
      },
    });
    managers.push(auth);
    const error = await auth.getToken().catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(
      'Token request to https://ccadmin-z1ab.oracleoutsourcing.example/ccadmin/v1/login failed: ' +
        'host ccadmin-z1ab.oracleoutsourcing.example not found (EAI_AGAIN): check the baseUrl option ' +
        '(your instance origin, e.g. https://ccadmin-z1ab.oracleoutsourcing.com)',
    );
    expect((error as Error).message).not.toContain(APP_KEY);
  });
});
