import { fakeContext, form, token } from '@authwire/test-support';
import { describe, expect, it } from 'vitest';
import type { NorceProviderOptions } from '../src/index.ts';
import {
  DEFAULT_APPLICATION_ID_HEADER,
  DEFAULT_NORCE_REGION,
  norceProvider,
  STORM_TOKEN_URL,
} from '../src/index.ts';

const SECRET = 's3cr3t-value-never-shown';

const base: NorceProviderOptions = {
  clientId: 'client-a',
  clientSecret: SECRET,
  applicationId: 1234,
  environment: 'playground',
  clientName: 'acme',
  region: 'se',
};

describe('URL building', () => {
  it.each([
    ['playground', 'https://acme.api-se.playground.norce.tech'],
    ['stage', 'https://acme.api-se.stage.norce.tech'],
    ['production', 'https://acme.api-se.norce.tech'],
  ] as const)('builds the %s token URL and API base on the same host', (environment, host) => {
    const provider = norceProvider({ ...base, environment });
    expect(provider.tokenUrl).toBe(`${host}/identity/1.0/connect/token`);
    expect(provider.baseUrl).toBe(host);
    expect(provider.origins).toEqual([host]);
  });

  it('lower-cases the client name and region', () => {
    const provider = norceProvider({ ...base, clientName: 'ACME', region: 'SE' });
    expect(provider.baseUrl).toBe('https://acme.api-se.playground.norce.tech');
  });

  it('uses the legacy Storm identity with storm: true, keeping the API host', () => {
    const provider = norceProvider({ ...base, storm: true });
    expect(provider.tokenUrl).toBe(STORM_TOKEN_URL);
    expect(provider.tokenUrl).toBe('https://identity.storm.io/1.0/connect/token');
    expect(provider.baseUrl).toBe('https://acme.api-se.playground.norce.tech');
    // Tokens go to the API only, never to an identity host.
    expect(provider.origins).toEqual(['https://acme.api-se.playground.norce.tech']);
  });

  it("defaults the region to 'se', like the CLI", () => {
    const { region, ...rest } = base;
    const provider = norceProvider({ ...rest, environment: 'stage' });
    expect(provider.tokenUrl).toBe(
      'https://acme.api-se.stage.norce.tech/identity/1.0/connect/token',
    );
    expect(provider.baseUrl).toBe('https://acme.api-se.stage.norce.tech');
    expect(DEFAULT_NORCE_REGION).toBe('se');
  });

  it('builds the host from a region other than the default', () => {
    const provider = norceProvider({ ...base, region: 'no' });
    expect(provider.baseUrl).toBe('https://acme.api-no.playground.norce.tech');
  });

  it('needs neither clientName nor region when both URLs are overridden', () => {
    const provider = norceProvider({
      clientId: 'c',
      clientSecret: SECRET,
      applicationId: '7',
      environment: 'stage',
      tokenUrl: 'http://127.0.0.1:8080/identity/1.0/connect/token',
      baseUrl: 'http://localhost:8081/proxy/',
    });
    expect(provider.tokenUrl).toBe('http://127.0.0.1:8080/identity/1.0/connect/token');
    expect(provider.baseUrl).toBe('http://localhost:8081/proxy');
    expect(provider.origins).toEqual(['http://localhost:8081']);
  });

  it('overrides only the token URL, building the API base', () => {
    const provider = norceProvider({ ...base, tokenUrl: 'https://proxy.example.com/token' });
    expect(provider.tokenUrl).toBe('https://proxy.example.com/token');
    expect(provider.baseUrl).toBe('https://acme.api-se.playground.norce.tech');
  });

  it('overrides only the API base, building the token URL', () => {
    const provider = norceProvider({ ...base, baseUrl: 'https://api.example.com' });
    expect(provider.tokenUrl).toBe(
      'https://acme.api-se.playground.norce.tech/identity/1.0/connect/token',
    );
    expect(provider.origins).toEqual(['https://api.example.com']);
  });

  it('needs only baseUrl besides storm: true', () => {
    const { clientName, region, ...rest } = base;
    const provider = norceProvider({ ...rest, storm: true, baseUrl: 'https://api.example.com' });
    expect(provider.tokenUrl).toBe(STORM_TOKEN_URL);
    expect(provider.baseUrl).toBe('https://api.example.com');
  });
});

describe('scope', () => {
  it.each([
    ['playground', false, 'playground'],
    ['stage', false, 'stage'],
    ['production', false, 'production'],
    ['playground', true, 'lab'],
    ['stage', true, 'lab'],
    ['production', true, 'production'],
  ] as const)('maps %s (storm: %s) to %s', async (environment, storm, scope) => {
    const provider = norceProvider({ ...base, environment, storm });
    expect(provider.scope).toBe(scope);
    const context = fakeContext();
    await provider.fetchToken(context);
    expect(form(context.requests[0]).scope).toBe(scope);
  });

  it.each(['lab', 'prod', 'qa', 'playground lab'])(
    'sends an explicit scope %j as given',
    async (scope) => {
      const provider = norceProvider({ ...base, environment: 'production', scope });
      expect(provider.scope).toBe(scope);
      const context = fakeContext();
      await provider.fetchToken(context);
      expect(form(context.requests[0]).scope).toBe(scope);
    },
  );
});

describe('token request', () => {
  it('posts client credentials in a form body to the token URL', async () => {
    const provider = norceProvider(base);
    const answer = token('abc');
    const context = fakeContext([answer]);
    await expect(provider.fetchToken(context)).resolves.toBe(answer);
    expect(context.requests).toHaveLength(1);
    const [request] = context.requests;
    expect(request?.url).toBe(
      'https://acme.api-se.playground.norce.tech/identity/1.0/connect/token',
    );
    expect(request?.method).toBe('POST');
    expect(request?.headers?.['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body).toBeInstanceOf(URLSearchParams);
    expect(form(request)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-a',
      client_secret: SECRET,
      scope: 'playground',
    });
    // Basic auth is not what Norce documents; the application id belongs to API calls.
    expect(request?.headers?.Authorization).toBeUndefined();
    expect(request?.headers?.ApplicationId).toBeUndefined();
  });

  it('relies on the standard OAuth error parsing (IdentityServer answers { error })', async () => {
    const context = fakeContext();
    await norceProvider(base).fetchToken(context);
    expect(context.requests[0]?.parseError).toBeUndefined();
  });

  it('sends the same request whatever the reason', async () => {
    const provider = norceProvider(base);
    for (const reason of ['initial', 'refresh', 'unauthorized', 'forced'] as const) {
      const context = fakeContext([token()], { reason, current: token('old') });
      await provider.fetchToken(context);
      expect(form(context.requests[0]).grant_type).toBe('client_credentials');
      expect(context.requests[0]?.headers?.Authorization).toBeUndefined();
    }
  });

  it('passes token endpoint errors through untouched', async () => {
    const failure = new Error('boom');
    await expect(norceProvider(base).fetchToken(fakeContext([failure]))).rejects.toBe(failure);
  });
});

describe('API headers', () => {
  it('adds ApplicationId to API requests', () => {
    expect(DEFAULT_APPLICATION_ID_HEADER).toBe('ApplicationId');
    expect(norceProvider(base).headers(token())).toEqual({ ApplicationId: '1234' });
  });

  it('accepts a numeric string application id', () => {
    expect(norceProvider({ ...base, applicationId: '0042' }).headers(token())).toEqual({
      ApplicationId: '0042',
    });
  });

  it('uses the configured header name', () => {
    const provider = norceProvider({ ...base, applicationIdHeader: 'application-id' });
    expect(provider.headers(token())).toEqual({ 'application-id': '1234' });
    expect(provider.applicationIdHeader).toBe('application-id');
  });
});

describe('manager declarations', () => {
  it('declares the published rate limit keyed by the token endpoint origin', () => {
    expect(norceProvider(base).rateLimit).toEqual({
      requests: 3,
      intervalMs: 60_000,
      burst: 20,
      key: 'https://acme.api-se.playground.norce.tech',
    });
    expect(norceProvider({ ...base, storm: true }).rateLimit.key).toBe('https://identity.storm.io');
  });

  it('declares the client secret as a secret', () => {
    expect(norceProvider(base).secrets).toEqual([SECRET]);
  });

  it('keys the cache by token URL, client id, application id, scope and the secret’s fingerprint, never the secret', () => {
    const key = norceProvider(base).key;
    expect(key).not.toContain(SECRET);
    const keys = new Set([
      key,
      norceProvider({ ...base, clientSecret: 'another-secret' }).key,
      norceProvider({ ...base, clientId: 'client-b' }).key,
      norceProvider({ ...base, applicationId: 99 }).key,
      norceProvider({ ...base, scope: 'lab' }).key,
      norceProvider({ ...base, storm: true }).key,
      norceProvider({ ...base, environment: 'stage' }).key,
    ]);
    // Another secret is another credential: it must never get this one's token.
    expect(keys.size).toBe(7);
    expect(norceProvider({ ...base }).key).toBe(key);
  });

  it('declares no default lifetime: Norce always answers expires_in', () => {
    expect(norceProvider(base).defaultLifetimeMs).toBeUndefined();
  });
});

describe('what the provider shows', () => {
  it('names the options to check when the token host does not resolve, also through a DPoP-bound copy', () => {
    const labels = norceProvider(base);
    expect(labels.hostNotFoundHint).toBe(
      "check the clientName 'acme', region 'se' and environment 'playground' options (the host is {clientName}.api-{region}[.{environment}].norce.tech)",
    );
    expect(norceProvider({ ...base, storm: true }).hostNotFoundHint).toBe(
      'check DNS and any proxy for the Storm identity host',
    );
    expect(
      norceProvider({ ...base, tokenUrl: 'https://proxy.example.com/token' }).hostNotFoundHint,
    ).toBe('check the tokenUrl option');
    // A DPoP-bound provider inherits from this one (Object.create): its members still answer.
    const bound = Object.create(labels) as typeof labels;
    expect(bound.hostNotFoundHint).toBe(labels.hostNotFoundHint);
    expect(bound.headers(token())).toEqual({ ApplicationId: '1234' });
    expect(bound.secrets).toEqual([SECRET]);
    // A spread copy (e.g. to override the rate limit) keeps every member, headers and hint too.
    const spread = { ...labels, rateLimit: { requests: 1, intervalMs: 1_000, key: 'k' } };
    expect(spread.headers(token())).toEqual({ ApplicationId: '1234' });
    expect(spread.hostNotFoundHint).toBe(labels.hostNotFoundHint);
  });

  it('has a readable label: provider name, host and path of the token endpoint', () => {
    expect(norceProvider(base).label).toBe(
      `norce ${new URL(norceProvider(base).tokenUrl).host}/identity/1.0/connect/token`,
    );
  });

  it('keeps a secret in the token URL query out of key and label', () => {
    const provider = norceProvider({
      ...base,
      tokenUrl: 'https://proxy.example.com/token?key=QUERYSECRET-1',
    });
    expect(provider.label).toBe('norce proxy.example.com/token');
    expect(provider.key).not.toContain('QUERYSECRET');
    expect(
      norceProvider({ ...base, tokenUrl: 'https://proxy.example.com/token?key=OTHER' }).key,
    ).not.toBe(provider.key);
  });

  it('shows no secret in util.inspect, console.log or JSON, even with showHidden', async () => {
    const { inspect } = await import('node:util');
    const provider = norceProvider(base);
    for (const text of [
      inspect(provider),
      inspect(provider, { showHidden: true, depth: 10 }),
      JSON.stringify(provider),
      Object.keys(provider).join(','),
    ]) {
      expect(text).not.toContain(SECRET);
    }
    expect(inspect(provider)).toContain(provider.label);
    expect(provider.secrets).toEqual([SECRET]);
  });

  it('gives a new key when the secret rotates, and the same key for the same credential', () => {
    expect(norceProvider({ ...base, clientSecret: 'rotated-secret' }).key).not.toBe(
      norceProvider(base).key,
    );
    expect(norceProvider({ ...base }).key).toBe(norceProvider(base).key);
  });
});
