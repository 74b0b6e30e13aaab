import {
  InvalidOptionsError,
  memoryStore,
  RateLimitedError,
  TokenEndpointError,
  type TokenEvent,
  type TokenManager,
} from '@authwire/core';
import { requestAuth } from '@authwire/core/kit';
import { json, type StubFetch, stubFetch } from '@authwire/test-support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type NorceOptions, norce } from '../src/index.ts';

const NOW = 1_700_000_000_000;
const SECRET = 'n0rce-Secret-Value';
const HOST = 'https://acme.api-se.playground.norce.tech';
const TOKEN_URL = `${HOST}/identity/1.0/connect/token`;

const managers: TokenManager[] = [];

function setup(
  overrides: Partial<NorceOptions> = {},
  handler: Parameters<typeof stubFetch>[0] = (_, n) =>
    json({
      access_token: `norce-${n}`,
      expires_in: 3600,
      token_type: 'Bearer',
      scope: 'playground',
    }),
) {
  const stub: StubFetch = stubFetch(handler);
  const events: TokenEvent[] = [];
  const auth = norce({
    clientId: 'client-a',
    clientSecret: SECRET,
    applicationId: 1234,
    environment: 'playground',
    clientName: 'acme',
    region: 'se',
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

describe('norce() preset', () => {
  it('returns a token manager with the settled URLs', () => {
    const { auth } = setup();
    expect(auth.baseUrl).toBe(HOST);
    expect(auth.tokenUrl).toBe(TOKEN_URL);
    expect(auth.environment).toBe('playground');
    expect(auth.scope).toBe('playground');
    expect(auth.applicationId).toBe('1234');
    expect(auth.applicationIdHeader).toBe('ApplicationId');
    expect(auth.origins).toEqual([HOST]);
    expect(auth.key).not.toContain(SECRET);
    expect(Object.keys(auth)).toContain('baseUrl');
  });

  it('keeps the info read-only', () => {
    const { auth } = setup();
    expect(() => {
      (auth as { baseUrl: string }).baseUrl = 'https://evil.example.com';
    }).toThrow(TypeError);
  });

  it('posts the documented token request and authorizes API calls with both headers', async () => {
    const { auth, stub } = setup();
    const authorization = await auth.authorize(`${HOST}/commerce/metadata/1.1/GetApplication`);
    expect(authorization?.headers).toEqual({
      Authorization: 'Bearer norce-1',
      ApplicationId: '1234',
    });
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request?.url).toBe(TOKEN_URL);
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-a',
      client_secret: SECRET,
      scope: 'playground',
    });
  });

  it('uses the configured application id header', async () => {
    const { auth } = setup({ applicationIdHeader: 'application-id' });
    const authorization = await auth.authorize(`${HOST}/commerce/management/1.0/x`);
    expect(authorization?.headers).toEqual({
      Authorization: 'Bearer norce-1',
      'application-id': '1234',
    });
  });

  it('never sends the token to the identity host or elsewhere', async () => {
    const { auth } = setup({ storm: true });
    expect(requestAuth(auth).allows('https://identity.storm.io/1.0/connect/token')).toBe(false);
    expect(requestAuth(auth).allows('https://example.com/')).toBe(false);
    expect(await auth.authorize('https://example.com/')).toBeUndefined();
    expect(requestAuth(auth).allows(`${HOST}/commerce/x`)).toBe(true);
  });

  it('posts to the Storm identity with the Storm scope', async () => {
    const { auth, stub } = setup({ storm: true, environment: 'stage' });
    await auth.getToken();
    expect(stub.requests[0]?.url).toBe('https://identity.storm.io/1.0/connect/token');
    expect(new URLSearchParams(stub.requests[0]?.body).get('scope')).toBe('lab');
  });

  it('passes manager options through (clock, store, onEvent, fetch)', async () => {
    // Time stands still on this clock: a sleep (the request deadline) ends only when aborted.
    const sleep = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((_, reject) =>
        signal?.addEventListener('abort', () => reject(signal.reason)),
      );
    const clock = { now: () => 5_000, sleep, random: () => 0 };
    const { auth, events } = setup({ clock });
    const token = await auth.getToken();
    expect(token.issuedAt).toBe(5_000);
    expect(events.map((e) => e.type)).toContain('token_acquired');
  });

  it('validates manager options too', () => {
    expect(() => setup({ refreshWindowMs: -1 })).toThrow(InvalidOptionsError);
  });

  it('fails with InvalidOptionsError, not a TypeError, for a non-object', () => {
    expect(() => norce(undefined as unknown as NorceOptions)).toThrow(InvalidOptionsError);
  });
});

describe('expiry', () => {
  it.each([3600, 600, 1])(
    'takes the lifetime from expires_in = %i, never a hard-coded one',
    async (s) => {
      const { auth } = setup({}, () =>
        json({ access_token: 'a', expires_in: s, token_type: 'Bearer' }),
      );
      const token = await auth.getToken();
      expect(token.expiresAt - token.issuedAt).toBe(s * 1000);
      expect(token.issuedAt).toBe(NOW);
    },
  );

  it('fetches a new token once the 600 s one is due, and caches until then', async () => {
    const { auth, stub } = setup({}, (_, n) =>
      json({ access_token: `t${n}`, expires_in: 600, token_type: 'Bearer' }),
    );
    expect((await auth.getToken()).accessToken).toBe('t1');
    await vi.advanceTimersByTimeAsync(200_000);
    expect((await auth.getToken()).accessToken).toBe('t1');
    expect(stub.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(400_000);
    expect((await auth.getToken()).accessToken).toBe('t2');
    expect(stub.requests).toHaveLength(2);
  });
});

describe('errors', () => {
  it('maps IdentityServer 400 { error } to a non-retryable TokenEndpointError without the secret', async () => {
    const { auth, stub } = setup({}, () =>
      json({ error: 'invalid_client', error_description: `unknown secret ${SECRET}` }, 400),
    );
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 400, error: 'invalid_client', retryable: false });
    expect((error as Error).message).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(stub.requests).toHaveLength(1);
  });

  it('gets a new token after a 401 from the API', async () => {
    const { auth, stub } = setup();
    const first = await auth.authorize(`${HOST}/commerce/x`);
    const again = await auth.reauthorize(`${HOST}/commerce/x`, first!.token);
    expect(again?.headers).toEqual({ Authorization: 'Bearer norce-2', ApplicationId: '1234' });
    expect(stub.requests).toHaveLength(2);
  });
});

describe('rate limit', () => {
  it('makes one token request for 200 concurrent cold callers', async () => {
    const { auth, stub } = setup();
    const tokens = await Promise.all(Array.from({ length: 200 }, () => auth.getToken()));
    expect(stub.requests).toHaveLength(1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
  });

  it('stays inside 3/min + burst 20: the 21st forced fetch fails locally, without a 429', async () => {
    let sent = 0;
    const { auth, stub, events } = setup({}, () => {
      // A server enforcing the published limit: 20 at once, then 3 per minute.
      const allowed = 20 + Math.floor(((Date.now() - NOW) * 3) / 60_000);
      if (sent >= allowed) return new Response(null, { status: 429 });
      sent += 1;
      return json({ access_token: `t${sent}`, expires_in: 3600 });
    });
    for (let i = 0; i < 20; i++) await auth.getToken({ forceRefresh: true });
    const error = await auth.getToken({ forceRefresh: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(stub.requests).toHaveLength(20);
    expect(events.some((e) => e.type === 'rate_limited')).toBe(true);
    // Refilled at 3 per minute: one more request is allowed 20 s later, and it is not a 429.
    await vi.advanceTimersByTimeAsync(20_000);
    await expect(auth.getToken({ forceRefresh: true })).resolves.toMatchObject({
      accessToken: 't21',
    });
    expect(stub.requests).toHaveLength(21);
  });
});

describe('norce() when the host does not resolve', () => {
  const notFound = (): never => {
    throw Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
    });
  };

  it('names the options that make up the host', async () => {
    const { auth } = setup({ clientName: 'acmee', maxAttempts: 1 }, notFound);
    const error = await auth.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as Error).message).toBe(
      'Token request to https://acmee.api-se.playground.norce.tech/identity/1.0/connect/token failed: ' +
        "host acmee.api-se.playground.norce.tech not found (ENOTFOUND): check the clientName 'acmee', " +
        "region 'se' and environment 'playground' options (the host is {clientName}.api-{region}[.{environment}].norce.tech)",
    );
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('names tokenUrl when it was given', async () => {
    const { auth } = setup({ tokenUrl: 'https://id.acme.example/token', maxAttempts: 1 }, notFound);
    const error = await auth.getToken().catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/not found \(ENOTFOUND\): check the tokenUrl option$/);
  });
});
