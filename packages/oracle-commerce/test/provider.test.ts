import { InvalidTokenResponseError, RateLimitedError, TokenEndpointError } from '@authwire/core';
import { fakeContext, form, token } from '@authwire/test-support';
import { describe, expect, it } from 'vitest';
import type { OracleCommerceProviderOptions } from '../src/index.ts';
import {
  ORACLE_COMMERCE_DEFAULT_LIFETIME_MS,
  oracleCommerceProvider,
  parseOracleError,
} from '../src/index.ts';
import { APP_KEY, jwt } from './jwt.ts';

const BASE = 'https://ccadmin-z1ab.oracleoutsourcing.com';
const options: OracleCommerceProviderOptions = { baseUrl: BASE, applicationKey: APP_KEY };

function endpointError(status: number, retryable = status >= 500): TokenEndpointError {
  return new TokenEndpointError(`HTTP ${status}`, { endpoint: 'x', status, retryable });
}

describe('endpoints', () => {
  it.each([
    [undefined, '/ccadmin/v1'],
    ['admin', '/ccadmin/v1'],
    ['agent', '/ccagent/v1'],
    ['app', '/ccapp/v1'],
    ['appAgent', '/ccappagent/v1'],
  ] as const)('api %s uses %s', (api, path) => {
    const provider = oracleCommerceProvider({ ...options, ...(api ? { api } : {}) });
    expect(provider.api).toBe(api ?? 'admin');
    expect(provider.apiUrl).toBe(`${BASE}${path}`);
    expect(provider.loginUrl).toBe(`${BASE}${path}/login`);
    expect(provider.refreshUrl).toBe(`${BASE}${path}/refresh`);
    expect(provider.logoutUrl).toBe(`${BASE}${path}/logout`);
  });

  it('normalises a trailing slash and accepts loopback http', () => {
    expect(oracleCommerceProvider({ ...options, baseUrl: `${BASE}/` }).baseUrl).toBe(BASE);
    const local = oracleCommerceProvider({ ...options, baseUrl: 'http://127.0.0.1:9000' });
    expect(local.loginUrl).toBe('http://127.0.0.1:9000/ccadmin/v1/login');
  });
});

describe('login', () => {
  it.each(['initial', 'forced', 'unauthorized'] as const)(
    'logs in with the application key on %s',
    async (reason) => {
      const provider = oracleCommerceProvider(options);
      const context = fakeContext([token('new')], { reason, current: token('old') });
      await expect(provider.fetchToken(context)).resolves.toMatchObject({ accessToken: 'new' });
      expect(context.requests).toHaveLength(1);
      const [request] = context.requests;
      expect(request?.url).toBe(`${BASE}/ccadmin/v1/login`);
      expect(request?.method).toBe('POST');
      expect(request?.headers).toEqual({
        Authorization: `Bearer ${APP_KEY}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      });
      expect(form(request)).toEqual({ grant_type: 'client_credentials' });
      expect(request?.parseError).toBe(parseOracleError);
    },
  );

  it('logs in on refresh when there is no current token', async () => {
    const context = fakeContext([token()], { reason: 'refresh' });
    await oracleCommerceProvider(options).fetchToken(context);
    expect(context.requests.map((r) => r.url)).toEqual([`${BASE}/ccadmin/v1/login`]);
  });

  it('passes a rejected login (reset key: 401) through', async () => {
    const error = endpointError(401, false);
    const context = fakeContext([error]);
    await expect(oracleCommerceProvider(options).fetchToken(context)).rejects.toBe(error);
    expect(context.requests).toHaveLength(1);
  });
});

describe('refresh', () => {
  it('refreshes with the current access token, without the application key', async () => {
    const provider = oracleCommerceProvider({ ...options, api: 'agent' });
    const current = token('current-token');
    const context = fakeContext([token('refreshed')], { reason: 'refresh', current });
    await expect(provider.fetchToken(context)).resolves.toMatchObject({ accessToken: 'refreshed' });
    expect(context.requests).toHaveLength(1);
    const [request] = context.requests;
    expect(request?.url).toBe(`${BASE}/ccagent/v1/refresh`);
    expect(request?.method).toBe('POST');
    expect(request?.headers).toEqual({ Authorization: 'Bearer current-token' });
    expect(JSON.stringify(request)).not.toContain(APP_KEY);
    expect(request?.body).toBeUndefined();
    expect(request?.parseError).toBe(parseOracleError);
  });

  it.each([
    ['a 401', endpointError(401, false)],
    ['a 400', endpointError(400, false)],
    ['a 403', endpointError(403, false)],
    ['an invalid 2xx answer', new InvalidTokenResponseError('x', 200, 'no access_token')],
  ])('falls back to a login after %s', async (_, failure) => {
    const provider = oracleCommerceProvider(options);
    const context = fakeContext([failure, token('logged-in')], {
      reason: 'refresh',
      current: token('current'),
    });
    await expect(provider.fetchToken(context)).resolves.toMatchObject({ accessToken: 'logged-in' });
    expect(context.requests.map((r) => r.url)).toEqual([
      `${BASE}/ccadmin/v1/refresh`,
      `${BASE}/ccadmin/v1/login`,
    ]);
    expect(context.requests[1]?.headers?.Authorization).toBe(`Bearer ${APP_KEY}`);
  });

  it.each([
    ['a 5xx', endpointError(503, true)],
    ['a network error', endpointError(0, true)],
    ['a 429', new RateLimitedError('x', 1_000)],
    ['an unknown error', new Error('boom')],
  ])('rethrows %s for the manager to back off, without logging in', async (_, failure) => {
    const context = fakeContext([failure, token('never')], {
      reason: 'refresh',
      current: token('current'),
    });
    await expect(oracleCommerceProvider(options).fetchToken(context)).rejects.toBe(failure);
    expect(context.requests).toHaveLength(1);
  });

  it('rethrows the login error when the fallback login fails too', async () => {
    const loginError = endpointError(401, false);
    const context = fakeContext([endpointError(401, false), loginError], {
      reason: 'refresh',
      current: token('current'),
    });
    await expect(oracleCommerceProvider(options).fetchToken(context)).rejects.toBe(loginError);
    expect(context.requests).toHaveLength(2);
  });

  it('does not log in once the fetch is aborted', async () => {
    const controller = new AbortController();
    const failure = new InvalidTokenResponseError('x', 200, 'x');
    const context = {
      ...fakeContext([failure, token()], { reason: 'refresh', current: token('current') }),
      signal: controller.signal,
    };
    controller.abort();
    await expect(oracleCommerceProvider(options).fetchToken(context)).rejects.toBe(failure);
  });
});

describe('revoke', () => {
  it('posts to logout with the token and treats { result: true } as success', async () => {
    const provider = oracleCommerceProvider({ ...options, api: 'app' });
    const context = fakeContext([token('unused')]);
    await expect(provider.revoke(token('bye'), context)).resolves.toBeUndefined();
    expect(context.requests).toHaveLength(1);
    expect(context.requests[0]?.url).toBe(`${BASE}/ccapp/v1/logout`);
    expect(context.requests[0]?.headers).toEqual({ Authorization: 'Bearer bye' });
  });

  it('reports a failed logout', async () => {
    const error = endpointError(401, false);
    await expect(
      oracleCommerceProvider(options).revoke(token(), fakeContext([error])),
    ).rejects.toBe(error);
  });
});

describe('manager declarations', () => {
  it('declares the instance origin, the application key as a secret and a 5-minute default', () => {
    const provider = oracleCommerceProvider({ ...options, baseUrl: `${BASE}/` });
    expect(provider.origins).toEqual([BASE]);
    expect(provider.secrets).toEqual([APP_KEY]);
    expect(provider.defaultLifetimeMs).toBe(300_000);
    expect(ORACLE_COMMERCE_DEFAULT_LIFETIME_MS).toBe(300_000);
    expect(provider.rateLimit).toBeUndefined();
  });

  it('keys the cache by instance, API and a fingerprint of the whole application key, never the key', () => {
    const key = oracleCommerceProvider(options).key;
    expect(key).not.toContain(APP_KEY);
    // The unverified `sub` plays no part: a forged key with the same sub gets another key.
    expect(key).not.toContain('app-40018');
    const forged = `${btoa(JSON.stringify({ alg: 'none' }))}.${btoa(JSON.stringify({ sub: 'app-40018', iss: 'adminUI' }))}.`;
    const other = jwt({ sub: 'app-2', iss: 'adminUI' });
    const keys = new Set([
      key,
      oracleCommerceProvider({ ...options, api: 'agent' }).key,
      oracleCommerceProvider({ ...options, baseUrl: 'https://other.example.com' }).key,
      oracleCommerceProvider({ ...options, applicationKey: other }).key,
      oracleCommerceProvider({ ...options, applicationKey: forged.replace(/=/g, '') }).key,
    ]);
    expect(keys.size).toBe(5);
    expect(oracleCommerceProvider({ ...options }).key).toBe(key);
  });

  it('still builds a key from an application key that is not a readable JWT', () => {
    const provider = oracleCommerceProvider({ ...options, applicationKey: 'opaque-key-123' });
    expect(provider.key).not.toContain('opaque-key-123');
  });
});

describe('what the provider shows', () => {
  it('has a readable label: provider name, host and login path', () => {
    expect(oracleCommerceProvider(options).label).toBe(
      'oracle-commerce ccadmin-z1ab.oracleoutsourcing.com/ccadmin/v1/login',
    );
    expect(oracleCommerceProvider({ ...options, api: 'agent' }).label).toBe(
      'oracle-commerce ccadmin-z1ab.oracleoutsourcing.com/ccagent/v1/login',
    );
  });

  it('shows no application key in util.inspect, console.log or JSON, even with showHidden', async () => {
    const { inspect } = await import('node:util');
    const provider = oracleCommerceProvider(options);
    for (const text of [
      inspect(provider),
      inspect(provider, { showHidden: true, depth: 10 }),
      JSON.stringify(provider),
    ]) {
      expect(text).not.toContain(APP_KEY);
      expect(text).not.toContain(APP_KEY.split('.')[1]);
    }
    expect(provider.secrets).toEqual([APP_KEY]);
  });
});
