// JWT client authentication, discovery, targets and the refresh-token provider, against an injected fetch.
import { createHmac, generateKeyPairSync, verify, webcrypto } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clearDiscoveryCache,
  clientCredentialsGrant,
  DiscoveryError,
  InvalidGrantError,
  refreshToken,
} from '../src/grants.ts';
import {
  clientCredentials,
  createTokenManager,
  InsecureUrlError,
  InvalidOptionsError,
  memoryStore,
  ResponseTooLargeError,
  type Token,
  type TokenStore,
} from '../src/index.ts';

const ISSUER = 'https://id.example.com';
const TOKEN_URL = 'https://id.example.com/oauth2/token';
const API = 'https://api.example.com';

interface Seen {
  readonly url: string;
  readonly headers: Headers;
  readonly form: URLSearchParams;
}

/** A fetch answering from `routes` (by URL), recording every request. */
function server(routes: Record<string, (seen: Seen) => Response>) {
  const seen: Seen[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const entry = {
      url,
      headers: new Headers(init?.headers),
      form: new URLSearchParams(typeof init?.body === 'string' ? init.body : ''),
    };
    seen.push(entry);
    const route = routes[url];
    return route ? route(entry) : new Response('not found', { status: 404 });
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

const tokenAnswer = (extra: Record<string, unknown> = {}) =>
  Response.json({
    access_token: `at-${Math.random().toString(36).slice(2)}`,
    token_type: 'Bearer',
    expires_in: 3600,
    ...extra,
  });

const metadata =
  (extra: Record<string, unknown> = {}) =>
  () =>
    Response.json({ issuer: ISSUER, token_endpoint: TOKEN_URL, ...extra });

function decode(jwt: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header, payload] = jwt
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  return { header, payload };
}

afterEach(() => clearDiscoveryCache());

function manager(
  provider: ReturnType<typeof clientCredentialsGrant>,
  fetch: typeof globalThis.fetch,
  store: TokenStore = memoryStore(),
) {
  return createTokenManager(provider, { origins: [API], fetch, store });
}

describe('private_key_jwt assertions', () => {
  const cases = [
    { alg: 'RS256', pair: () => generateKeyPairSync('rsa', { modulusLength: 2048 }), options: {} },
    {
      alg: 'PS256',
      pair: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
      options: { padding: 6, saltLength: 32 },
    },
    {
      alg: 'ES256',
      pair: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
      options: { dsaEncoding: 'ieee-p1363' },
    },
    { alg: 'EdDSA', pair: () => generateKeyPairSync('ed25519'), options: {} },
  ] as const;
  for (const { alg, pair, options } of cases) {
    it(`signs ${alg} with iss = sub = client id, aud = token endpoint, a fresh jti and a one-minute exp`, async () => {
      const { privateKey, publicKey } = pair();
      const jwk = privateKey.export({ format: 'jwk' });
      const { fetch, seen } = server({ [TOKEN_URL]: () => tokenAnswer() });
      const auth = manager(
        clientCredentialsGrant({
          tokenUrl: TOKEN_URL,
          clientId: 'svc',
          privateKey: jwk as JsonWebKey,
          algorithm: alg,
          keyId: 'k1',
        }),
        fetch,
      );
      await auth.getToken();
      await auth.getToken({ forceRefresh: true });
      const [first, second] = seen.map((request) => request.form);
      expect(first?.get('client_assertion_type')).toBe(
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
      expect(first?.get('client_id')).toBe('svc');
      expect(first?.has('client_secret')).toBe(false);
      const assertion = first?.get('client_assertion') as string;
      const { header, payload } = decode(assertion);
      expect(header).toEqual({ alg, typ: 'JWT', kid: 'k1' });
      expect(payload).toMatchObject({ iss: 'svc', sub: 'svc', aud: TOKEN_URL });
      expect((payload.exp as number) - (payload.iat as number)).toBe(60);
      expect(decode(second?.get('client_assertion') as string).payload.jti).not.toBe(payload.jti);
      const [h, p, s] = assertion.split('.');
      const ok = verify(
        alg === 'EdDSA' ? null : 'sha256',
        Buffer.from(`${h}.${p}`),
        { key: publicKey, ...options } as never,
        Buffer.from(s as string, 'base64url'),
      );
      expect(ok).toBe(true);
      await auth.close();
    });
  }

  it('signs with a non-extractable CryptoKey and puts a certificate thumbprint in x5t#S256', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = await webcrypto.subtle.importKey(
      'pkcs8',
      privateKey.export({ format: 'der', type: 'pkcs8' }),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    const { fetch, seen } = server({ [TOKEN_URL]: () => tokenAnswer() });
    const provider = clientCredentialsGrant({
      tokenUrl: TOKEN_URL,
      clientId: 'svc',
      privateKey: key as CryptoKey,
      certificateThumbprint: 'dGh1bWJwcmludA',
    });
    await manager(provider, fetch).getToken();
    expect(decode(seen[0]?.form.get('client_assertion') as string).header).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      'x5t#S256': 'dGh1bWJwcmludA',
    });
    expect(provider.key).toContain('x5t%3AdGh1bWJwcmludA');
  });

  it('uses the issuer as aud when asked (assertionAudience: issuer)', async () => {
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'jwk',
    });
    const { fetch, seen } = server({
      [`${ISSUER}/.well-known/oauth-authorization-server`]: metadata(),
      [TOKEN_URL]: () => tokenAnswer(),
    });
    await manager(
      clientCredentialsGrant({
        issuer: ISSUER,
        clientId: 'svc',
        privateKey: jwk as JsonWebKey,
        assertionAudience: 'issuer',
      }),
      fetch,
    ).getToken();
    expect(decode(seen[1]?.form.get('client_assertion') as string).payload.aud).toBe(ISSUER);
  });

  it('refuses keys that cannot sign, naming the option and never the key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' }) as JsonWebKey;
    const base = { tokenUrl: TOKEN_URL, clientId: 'svc' };
    expect(() =>
      clientCredentialsGrant({
        ...base,
        privateKey: publicKey.export({ format: 'jwk' }) as JsonWebKey,
      }),
    ).toThrow(InvalidOptionsError);
    expect(() => clientCredentialsGrant({ ...base, privateKey: { ...jwk, alg: 'RS384' } })).toThrow(
      /privateKey has alg RS384, not one of RS256, PS256, ES256, EdDSA/,
    );
    // WebCrypto exports Ed25519 keys with RFC 9864's alg name: signed as EdDSA.
    const ed = await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
    const edJwk = await webcrypto.subtle.exportKey(
      'jwk',
      (ed as unknown as CryptoKeyPair).privateKey,
    );
    expect(edJwk.alg).toBe('Ed25519');
    expect(() =>
      clientCredentialsGrant({ ...base, privateKey: edJwk as JsonWebKey }),
    ).not.toThrow();
    expect(() => clientCredentialsGrant({ ...base, privateKey: jwk, algorithm: 'ES256' })).toThrow(
      /privateKey does not fit algorithm ES256/,
    );
    expect(() =>
      clientCredentialsGrant({ ...base, privateKey: jwk, clientSecret: 'secret-1234' } as never),
    ).toThrow(InvalidOptionsError);
    expect(() =>
      clientCredentialsGrant({
        ...base,
        clientSecret: 'secret-1234',
        authMethod: 'private_key_jwt',
      }),
    ).toThrow(/authMethod/);
    // Broken key material fails at import, as an InvalidOptionsError without the key in it.
    const broken = { ...jwk, n: 'AAAA' };
    const { fetch, seen } = server({ [TOKEN_URL]: () => tokenAnswer() });
    const error = await manager(clientCredentialsGrant({ ...base, privateKey: broken }), fetch)
      .getToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(seen).toHaveLength(0);
    const shown = `${inspect(error, { showHidden: true, depth: 10 })}${JSON.stringify(error)}`;
    for (const part of [jwk.d, jwk.p, jwk.q]) expect(shown).not.toContain(part);
  });

  it('binds the cache key to the public key thumbprint and shows nothing private', () => {
    const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      format: 'jwk',
    }) as JsonWebKey;
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      format: 'jwk',
    }) as JsonWebKey;
    const make = (privateKey: JsonWebKey) =>
      clientCredentialsGrant({ tokenUrl: TOKEN_URL, clientId: 'svc', privateKey });
    expect(make(jwk).key).toBe(make({ ...jwk }).key);
    expect(make(jwk).key).not.toBe(make(other).key);
    const provider = make(jwk);
    const shown = `${inspect(provider, { showHidden: true, depth: 10 })}${JSON.stringify(provider)}${provider.key}`;
    for (const part of [jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi])
      expect(shown).not.toContain(part);
  });
});

describe('client_secret_jwt', () => {
  it('signs HS256 with the client secret and never sends the secret', async () => {
    const { fetch, seen } = server({ [TOKEN_URL]: () => tokenAnswer() });
    await manager(
      clientCredentialsGrant({
        tokenUrl: TOKEN_URL,
        clientId: 'svc',
        clientSecret: 's3cret-value',
        authMethod: 'client_secret_jwt',
      }),
      fetch,
    ).getToken();
    const form = seen[0]?.form as URLSearchParams;
    expect(form.toString()).not.toContain('s3cret-value');
    const [h, p, s] = (form.get('client_assertion') as string).split('.');
    expect(createHmac('sha256', 's3cret-value').update(`${h}.${p}`).digest('base64url')).toBe(s);
    expect(decode(form.get('client_assertion') as string).header.alg).toBe('HS256');
  });
});

describe('discovery', () => {
  it('falls back from RFC 8414 to OpenID metadata, and fetches once for many managers', async () => {
    const { fetch, seen } = server({
      [`${ISSUER}/tenant/.well-known/openid-configuration`]: () =>
        Response.json({ issuer: `${ISSUER}/tenant`, token_endpoint: TOKEN_URL }),
      [TOKEN_URL]: () => tokenAnswer(),
    });
    const managers = Array.from({ length: 200 }, () =>
      manager(
        clientCredentialsGrant({
          issuer: `${ISSUER}/tenant`,
          clientId: 'svc',
          clientSecret: 'secret-1',
        }),
        fetch,
      ),
    );
    await Promise.all(managers.map((m) => m.getToken()));
    const metadataRequests = seen.filter((request) => request.url.includes('/.well-known/'));
    expect(metadataRequests.map((request) => request.url)).toEqual([
      `${ISSUER}/.well-known/oauth-authorization-server/tenant`,
      `${ISSUER}/tenant/.well-known/openid-configuration`,
    ]);
    // No list of methods: RFC 8414's default, client_secret_basic.
    expect(seen.at(-1)?.headers.get('authorization')).toMatch(/^Basic /);
  });

  it('picks the first secret method the server lists, and refuses when it lists none', async () => {
    const { fetch, seen } = server({
      [`${ISSUER}/.well-known/oauth-authorization-server`]: metadata({
        token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_post'],
      }),
      [TOKEN_URL]: () => tokenAnswer(),
    });
    await manager(
      clientCredentialsGrant({ issuer: ISSUER, clientId: 'svc', clientSecret: 'secret-1' }),
      fetch,
    ).getToken();
    expect(seen.at(-1)?.form.get('client_secret')).toBe('secret-1');
    clearDiscoveryCache();
    const only = server({
      [`${ISSUER}/.well-known/oauth-authorization-server`]: metadata({
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      }),
    });
    const error = await manager(
      clientCredentialsGrant({ issuer: ISSUER, clientId: 'svc', clientSecret: 'secret-1' }),
      only.fetch,
    )
      .getToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscoveryError);
  });

  it('refuses another issuer, an http token endpoint, and an oversized document; caches no failure', async () => {
    const answers = [
      () => Response.json({ issuer: `${ISSUER}/`, token_endpoint: TOKEN_URL }),
      () => Response.json({ issuer: ISSUER, token_endpoint: 'http://id.example.com/token' }),
      () =>
        Response.json({ issuer: ISSUER, token_endpoint: TOKEN_URL, padding: 'x'.repeat(70_000) }),
      metadata(),
    ];
    let next = 0;
    const { fetch, seen } = server({
      [`${ISSUER}/.well-known/oauth-authorization-server`]: () =>
        (answers[next++] as () => Response)(),
      [TOKEN_URL]: () => tokenAnswer(),
    });
    const attempt = () =>
      manager(
        clientCredentialsGrant({ issuer: ISSUER, clientId: 'svc', clientSecret: 'secret-1' }),
        fetch,
      )
        .getToken()
        .catch((e: unknown) => e);
    expect(await attempt()).toBeInstanceOf(DiscoveryError);
    expect(await attempt()).toBeInstanceOf(InsecureUrlError);
    expect(await attempt()).toBeInstanceOf(ResponseTooLargeError);
    expect(await attempt()).toMatchObject({ tokenType: 'Bearer' });
    expect(seen.filter((request) => request.url === TOKEN_URL)).toHaveLength(1);
  });
});

describe('targets and options', () => {
  it('gives each resource, audience and scope its own cache key, and sends every resource', async () => {
    const key = (extra: object) =>
      clientCredentialsGrant({
        tokenUrl: TOKEN_URL,
        clientId: 'svc',
        clientSecret: 'secret-1',
        ...extra,
      }).key;
    const keys = [
      key({ resource: 'https://a.example.com' }),
      key({ resource: ['https://a.example.com', 'https://b.example.com'] }),
      key({ audience: 'https://a.example.com' }),
      key({ resource: 'https://a.example.com', scope: 'read' }),
      key({ resource: 'https://a.example.com', clientSecret: 'secret-2' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.join()).not.toContain('secret-');
    const { fetch, seen } = server({ [TOKEN_URL]: () => tokenAnswer() });
    await manager(
      clientCredentialsGrant({
        tokenUrl: TOKEN_URL,
        clientId: 'svc',
        clientSecret: 'secret-1',
        resource: ['https://a.example.com', 'https://b.example.com'],
        audience: 'orders',
      }),
      fetch,
    ).getToken();
    expect(seen[0]?.form.getAll('resource')).toEqual([
      'https://a.example.com',
      'https://b.example.com',
    ]);
    expect(seen[0]?.form.get('audience')).toBe('orders');
  });

  it('clientCredentials() names clientCredentialsGrant() for the options that belong to it', () => {
    const base = { tokenUrl: TOKEN_URL, clientId: 'svc', clientSecret: 'secret-1' };
    for (const extra of [{ issuer: ISSUER }, { resource: API }, { privateKey: {} }]) {
      expect(() => clientCredentials({ ...base, ...extra } as never)).toThrow(
        /clientCredentialsGrant\(\)/,
      );
    }
  });

  it('refuses malformed options by name', () => {
    const base = { clientId: 'svc', clientSecret: 'secret-1' };
    expect(() =>
      clientCredentialsGrant({ ...base, tokenUrl: TOKEN_URL, issuer: ISSUER } as never),
    ).toThrow(/exactly one/);
    expect(() => clientCredentialsGrant({ ...base, issuer: 'http://id.example.com' })).toThrow(
      InsecureUrlError,
    );
    expect(() =>
      clientCredentialsGrant({
        ...base,
        tokenUrl: TOKEN_URL,
        resource: 'https://a.example.com/#x',
      }),
    ).toThrow(/resource/);
    expect(() => clientCredentialsGrant({ ...base, tokenUrl: TOKEN_URL, resource: [] })).toThrow(
      /resource/,
    );
    expect(() =>
      clientCredentialsGrant({
        ...base,
        tokenUrl: TOKEN_URL,
        audience: 'x',
        assertionAudience: 'issuer',
      } as never),
    ).toThrow(/assertionAudience/);
    expect(() => refreshToken({ ...base, tokenUrl: TOKEN_URL, refreshToken: '' })).toThrow(
      /refreshToken/,
    );
  });
});

describe('refreshToken()', () => {
  /** A server that rotates on every use and refuses a spent token. */
  function rotatingServer(first: string) {
    let current = first;
    let n = 0;
    const spent: string[] = [];
    const handle = server({
      [TOKEN_URL]: ({ form }) => {
        if (form.get('refresh_token') !== current) {
          spent.push(form.get('refresh_token') as string);
          return Response.json(
            {
              error: 'invalid_grant',
              error_description: `token ${form.get('refresh_token')} was used`,
            },
            { status: 400 },
          );
        }
        current = `rt-${++n}-abcdef`;
        return tokenAnswer({ refresh_token: current });
      },
    });
    return { ...handle, spent, current: () => current };
  }

  it('keeps the newest refresh token in the store as state that outlives the token', async () => {
    const idp = rotatingServer('rt-0-abcdef');
    const entries = new Map<string, { token: Token; ttlMs: number }>();
    const inner = memoryStore();
    const store: TokenStore = {
      get: (key) => inner.get(key),
      delete: (key, token) => inner.delete(key, token),
      set: async (key, token, ttlMs) => {
        entries.set(key, { token, ttlMs });
        await inner.set(key, token, ttlMs);
      },
    };
    const provider = refreshToken({
      tokenUrl: TOKEN_URL,
      clientId: 'svc',
      clientSecret: 'secret-1',
      refreshToken: 'rt-0-abcdef',
    });
    const auth = createTokenManager(provider, { origins: [API], fetch: idp.fetch, store });
    await auth.getToken();
    const state = entries.get(`${provider.key}#state`);
    expect(state?.token).toMatchObject({
      accessToken: 'rt-1-abcdef',
      tokenType: 'x-authwire-state',
    });
    expect(state?.ttlMs).toBe(30 * 24 * 3_600_000);
    expect(entries.get(provider.key)?.ttlMs).toBeLessThanOrEqual(3_600_000);
  });

  it('keeps a refresh token of any characters through the store (a restart reads it back)', async () => {
    const odd = 'rt with spaces, "quotes" and \\ ünïcode';
    const sent: string[] = [];
    const { fetch } = server({
      [TOKEN_URL]: ({ form }) => {
        sent.push(form.get('refresh_token') as string);
        return tokenAnswer({ refresh_token: sent.length === 1 ? odd : 'rt-plain-2' });
      },
    });
    const store = memoryStore();
    const make = () =>
      createTokenManager(
        refreshToken({ tokenUrl: TOKEN_URL, clientId: 'svc', refreshToken: 'rt-0-abcdef' }),
        { origins: [API], fetch, store },
      );
    await make().getToken();
    await make().getToken({ forceRefresh: true });
    expect(sent).toEqual(['rt-0-abcdef', odd]);
  });

  it('falls back to the newest token it holds when the store loses the state, never to the spent configured one', async () => {
    const idp = rotatingServer('rt-0-abcdef');
    const store: TokenStore = {
      get: async () => undefined,
      set: async () => {},
      delete: async () => false,
    };
    const auth = createTokenManager(
      refreshToken({
        tokenUrl: TOKEN_URL,
        clientId: 'svc',
        clientSecret: 'secret-1',
        refreshToken: 'rt-0-abcdef',
      }),
      { origins: [API], fetch: idp.fetch, store },
    );
    await auth.getToken();
    await auth.getToken({ forceRefresh: true });
    await auth.getToken({ forceRefresh: true });
    expect(idp.spent).toEqual([]);
    expect(idp.current()).toBe('rt-3-abcdef');
  });

  it('scrubs the refresh token it sent from the refusal, and calls onRotate in order', async () => {
    const idp = rotatingServer('rt-0-abcdef');
    const rotated: string[] = [];
    const store = memoryStore();
    const make = (initial: string) =>
      createTokenManager(
        refreshToken({
          tokenUrl: TOKEN_URL,
          clientId: 'svc',
          clientSecret: 'secret-1',
          refreshToken: initial,
          grantKey: 'shop-1',
          onRotate: (next) => void rotated.push(next),
        }),
        { origins: [API], fetch: idp.fetch, store },
      );
    const auth = make('rt-0-abcdef');
    await auth.getToken();
    await auth.getToken({ forceRefresh: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(rotated).toEqual(['rt-1-abcdef', 'rt-2-abcdef']);
    // Another configuration of the same grant (grantKey) shares the store entry: it spends rt-2.
    await make('rt-1-abcdef').getToken({ forceRefresh: true });
    expect(idp.spent).toEqual([]);
    // A stranger's token under another grant key is refused, and the error does not show it.
    const stranger = createTokenManager(
      refreshToken({
        tokenUrl: TOKEN_URL,
        clientId: 'svc',
        clientSecret: 'secret-1',
        refreshToken: 'rt-stolen-xyz',
      }),
      { origins: [API], fetch: idp.fetch, store },
    );
    const error = await stranger.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect(
      `${inspect(error, { showHidden: true, depth: 10 })}${JSON.stringify(error)}`,
    ).not.toContain('rt-stolen-xyz');
  });
});
