import { describe, expect, it } from 'vitest';
import {
  manualClock,
  norceAcceptedScopes,
  norceApiOrigin,
  norceMock,
  norceTokenUrl,
} from '../src/index.ts';
import { norceToken, segment, useMsw } from './support.ts';

const msw = useMsw();

describe('Norce URLs', () => {
  it('builds the token URL per environment, without a label for production', () => {
    expect(norceTokenUrl({ clientName: 'acme', environment: 'playground' })).toBe(
      'https://acme.api-se.playground.norce.tech/identity/1.0/connect/token',
    );
    expect(norceTokenUrl({ clientName: 'acme', region: 'no', environment: 'stage' })).toBe(
      'https://acme.api-no.stage.norce.tech/identity/1.0/connect/token',
    );
    expect(norceTokenUrl({ clientName: 'acme', environment: 'production' })).toBe(
      'https://acme.api-se.norce.tech/identity/1.0/connect/token',
    );
    expect(norceApiOrigin({ clientName: 'acme', environment: 'production' })).toBe(
      'https://acme.api-se.norce.tech',
    );
  });

  it('uses the legacy Storm identity host, or Storm path on baseUrl', () => {
    expect(norceTokenUrl({ storm: true })).toBe('https://identity.storm.io/1.0/connect/token');
    expect(norceTokenUrl({ storm: true, baseUrl: 'http://127.0.0.1:9/' })).toBe(
      'http://127.0.0.1:9/1.0/connect/token',
    );
    expect(norceTokenUrl({ baseUrl: 'http://127.0.0.1:9' })).toBe(
      'http://127.0.0.1:9/identity/1.0/connect/token',
    );
  });

  it('serves the token endpoint on the Storm host when storm is set', async () => {
    const mock = norceMock({ storm: true });
    msw.use(mock);
    const response = await norceToken(mock, { scope: 'lab' });
    expect(mock.tokenUrl).toBe('https://identity.storm.io/1.0/connect/token');
    expect(response.status).toBe(200);
  });

  it('accepts each environment’s scope spellings and only those', () => {
    expect(norceAcceptedScopes('playground')).toEqual(['playground', 'lab']);
    expect(norceAcceptedScopes('stage')).toEqual(['stage', 'lab']);
    expect(norceAcceptedScopes('production')).toEqual(['production', 'prod']);
    expect(norceAcceptedScopes('production', true)).toEqual(['lab', 'qa', 'production']);
  });
});

describe('Norce token endpoint errors (IdentityServer style)', () => {
  const expectOAuthError = async (response: Response, error: string): Promise<void> => {
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error });
  };

  it('answers invalid_request for a non-POST method', async () => {
    const mock = norceMock();
    msw.use(mock);
    await expectOAuthError(await fetch(mock.tokenUrl), 'invalid_request');
    await expectOAuthError(await fetch(mock.tokenUrl, { method: 'PUT' }), 'invalid_request');
  });

  it('answers invalid_request for a JSON body', async () => {
    const mock = norceMock();
    msw.use(mock);
    const response = await fetch(mock.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    await expectOAuthError(response, 'invalid_request');
  });

  it('answers invalid_client for a wrong secret, unknown id or missing credentials', async () => {
    const mock = norceMock();
    msw.use(mock);
    await expectOAuthError(await norceToken(mock, { client_secret: 'nope' }), 'invalid_client');
    await expectOAuthError(await norceToken(mock, { client_id: 'nobody' }), 'invalid_client');
    await expectOAuthError(
      await norceToken(mock, { client_id: undefined, client_secret: undefined }),
      'invalid_client',
    );
  });

  it('checks the client before the grant type', async () => {
    const mock = norceMock();
    msw.use(mock);
    const response = await norceToken(mock, { client_secret: 'nope', grant_type: 'password' });
    await expectOAuthError(response, 'invalid_client');
  });

  it('answers unsupported_grant_type for missing or unknown grants', async () => {
    const mock = norceMock();
    msw.use(mock);
    await expectOAuthError(
      await norceToken(mock, { grant_type: undefined }),
      'unsupported_grant_type',
    );
    await expectOAuthError(
      await norceToken(mock, { grant_type: 'magic' }),
      'unsupported_grant_type',
    );
  });

  it('answers unauthorized_client for known grants the client may not use', async () => {
    const mock = norceMock();
    msw.use(mock);
    await expectOAuthError(
      await norceToken(mock, { grant_type: 'password' }),
      'unauthorized_client',
    );
  });

  it('answers invalid_scope for another environment’s scope', async () => {
    const mock = norceMock({ environment: 'stage' });
    msw.use(mock);
    await expectOAuthError(await norceToken(mock, { scope: 'production' }), 'invalid_scope');
    await expectOAuthError(await norceToken(mock, { scope: 'stage bogus' }), 'invalid_scope');
    expect(mock.control.counters.tokenErrors).toBe(2);
    expect(mock.control.counters.tokensIssued).toBe(0);
  });

  it('restricts scopes per client and honours acceptedScopes', async () => {
    const mock = norceMock({
      environment: 'production',
      acceptedScopes: ['prod'],
      clients: [{ clientId: 'a', clientSecret: 'b', scopes: ['prod'] }],
    });
    msw.use(mock);
    const creds = { client_id: 'a', client_secret: 'b' };
    await expectOAuthError(
      await norceToken(mock, { ...creds, scope: 'production' }),
      'invalid_scope',
    );
    expect((await norceToken(mock, { ...creds, scope: 'prod' })).status).toBe(200);
  });
});

describe('Norce token endpoint success', () => {
  it('answers the documented shape with no-store and echoes the scope', async () => {
    const clock = manualClock();
    const mock = norceMock({ now: clock.now });
    msw.use(mock);
    const response = await norceToken(mock, { scope: 'lab' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(body).toMatchObject({ expires_in: 3600, token_type: 'Bearer', scope: 'lab' });
  });

  it('grants the environment’s scopes when none is requested', async () => {
    const mock = norceMock({ environment: 'production' });
    msw.use(mock);
    const body = (await (await norceToken(mock, { scope: undefined })).json()) as { scope: string };
    expect(body.scope).toBe('production prod');
  });

  it('issues unique JWTs whose exp follows the injected clock and lifetime', async () => {
    const clock = manualClock();
    const mock = norceMock({ now: clock.now, tokenLifetime: 600 });
    msw.use(mock);
    const first = ((await (await norceToken(mock)).json()) as { access_token: string })
      .access_token;
    clock.advance(5_000);
    const second = ((await (await norceToken(mock)).json()) as { access_token: string })
      .access_token;
    expect(first).not.toBe(second);
    for (const token of [first, second]) {
      expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(segment(token, 0)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    }
    const claims = segment(second, 1);
    const iat = Math.floor(clock.now() / 1000);
    expect(claims).toMatchObject({ iat, exp: iat + 600, client_id: 'authwire-demo-client' });
    expect(claims.jti).not.toBe(segment(first, 1).jti);
    expect(mock.control.issuedTokens.map((t) => t.accessToken)).toEqual([first, second]);
    expect(mock.control.issuedTokens[1]).toMatchObject({
      index: 1,
      expiresAt: clock.now() + 600_000,
      revokedBy: null,
      scope: 'playground',
    });
  });

  it('accepts several clients', async () => {
    const mock = norceMock({
      clients: [
        { clientId: 'one', clientSecret: '1' },
        { clientId: 'two', clientSecret: '2' },
      ],
    });
    msw.use(mock);
    expect((await norceToken(mock, { client_id: 'two', client_secret: '2' })).status).toBe(200);
    expect((await norceToken(mock, { client_id: 'two', client_secret: '1' })).status).toBe(400);
    expect(mock.control.issuedTokens.map((t) => t.clientId)).toEqual(['two']);
  });
});

describe('Norce token endpoint rate limit', () => {
  it('allows 23 quick requests, then 429 with Retry-After, refilling 3 per minute', async () => {
    const clock = manualClock();
    const mock = norceMock({ now: clock.now });
    msw.use(mock);
    const statuses = [];
    for (let i = 0; i < 23; i++) statuses.push((await norceToken(mock)).status);
    expect(statuses).toEqual(Array(23).fill(200));

    const limited = await norceToken(mock);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect(await limited.text()).toBe('');

    clock.advance(60_000);
    const afterMinute = [];
    for (let i = 0; i < 4; i++) afterMinute.push((await norceToken(mock)).status);
    expect(afterMinute).toEqual([200, 200, 200, 429]);
    expect(mock.control.counters).toMatchObject({
      tokenRequests: 28,
      tokenEndpointCalls: 28,
      tokenEndpoint429s: 2,
      tokensIssued: 26,
    });
  });

  it('counts invalid requests too, and keys buckets by X-Forwarded-For', async () => {
    const mock = norceMock({ rateLimit: { perMinute: 1, burst: 1 } });
    msw.use(mock);
    const a = { 'x-forwarded-for': '10.0.0.1' };
    expect((await norceToken(mock, { client_secret: 'bad' }, a)).status).toBe(400);
    expect((await norceToken(mock, {}, a)).status).toBe(200);
    expect((await norceToken(mock, {}, a)).status).toBe(429);
    expect((await norceToken(mock, {}, { 'x-forwarded-for': '10.0.0.2, 10.0.0.1' })).status).toBe(
      200,
    );
    expect((await norceToken(mock)).status).toBe(200);
  });

  it('can be switched off, and reset() refills the buckets', async () => {
    const off = norceMock({ rateLimit: false });
    msw.use(off);
    for (let i = 0; i < 30; i++) expect((await norceToken(off)).status).toBe(200);

    const on = norceMock({ rateLimit: { perMinute: 1, burst: 0 } });
    msw.use(on);
    expect((await norceToken(on)).status).toBe(200);
    expect((await norceToken(on)).status).toBe(429);
    on.control.reset();
    expect(on.control.counters.tokenEndpointCalls).toBe(0);
    expect(on.control.issuedTokens).toEqual([]);
    expect((await norceToken(on)).status).toBe(200);
  });
});
