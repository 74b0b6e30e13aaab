// DPoP in the manager: options, proofs on token requests, nonces, Bearer refused, cache keys, no private key anywhere.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dpop } from '../src/dpop.ts';
import {
  clientCredentials,
  createTokenManager,
  InvalidOptionsError,
  InvalidTokenResponseError,
  memoryStore,
  type TokenEvent,
} from '../src/index.ts';
import { requestAuth } from '../src/kit.ts';

const TOKEN_URL = 'https://id.example.com/token';
const API = 'https://api.example.com';

const ES256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const extractablePair = (): Promise<CryptoKeyPair> =>
  crypto.subtle.generateKey(ES256, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

const decode = (part: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(part, 'base64url').toString());

/** A proof's header and claims, with its signature checked against the key it embeds. */
async function readProof(proof: string) {
  const [header, payload, signature] = proof.split('.') as [string, string, string];
  const protectedHeader = decode(header);
  const key = await crypto.subtle.importKey('jwk', protectedHeader.jwk as JsonWebKey, ES256, true, [
    'verify',
  ]);
  const valid = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    Buffer.from(signature, 'base64url'),
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return { header: protectedHeader, claims: decode(payload), valid };
}

interface Sent {
  readonly url: string;
  readonly headers: Headers;
}

/** A token endpoint: `answer(n)` says what the n-th request gets (1-based). */
function tokenEndpoint(answer: (n: number) => Response) {
  const sent: Sent[] = [];
  const fetch = (async (url: string | URL, init?: RequestInit) => {
    sent.push({ url: String(url), headers: new Headers(init?.headers) });
    return answer(sent.length);
  }) as typeof globalThis.fetch;
  return { sent, fetch };
}

const tokenJson = (n: number, type = 'DPoP') =>
  Response.json({ access_token: `at-${n}-${'x'.repeat(20)}`, token_type: type, expires_in: 3600 });

const provider = (clientSecret = 'the-client-secret-0123456789') =>
  clientCredentials({ tokenUrl: `${TOKEN_URL}?tenant=a#frag`, clientId: 'client', clientSecret });

describe('the dpop option', () => {
  it.each([
    ['a string', 'yes'],
    ['a number', 1],
    ['an array', []],
    ['null', null],
    ['settings instead of dpop()', { keyPair: undefined }],
    ['an object whose bindProvider is not a function', { bindProvider: true }],
  ])('refuses %s with InvalidOptionsError naming dpop()', (_, option) => {
    expect(() => createTokenManager(provider(), { origins: [API], dpop: option as never })).toThrow(
      InvalidOptionsError,
    );
    expect(() => createTokenManager(provider(), { origins: [API], dpop: option as never })).toThrow(
      /^dpop must be dpop\(\) from '@authwire\/core\/dpop'/,
    );
  });

  it("refuses true (0.x's form) with the import to use instead", () => {
    const refused = () => createTokenManager(provider(), { origins: [API], dpop: true as never });
    expect(refused).toThrow(InvalidOptionsError);
    expect(refused).toThrow(
      "dpop must be dpop() from '@authwire/core/dpop' (dpop: dpop(), or dpop({ keyPair, allowBearer })); got true",
    );
  });

  it.each([
    ['a key pair that is not a key pair', { keyPair: {} }],
    ['an unknown field', { keypair: undefined }],
    ['allowBearer not a boolean', { allowBearer: 'true' }],
    ['settings that are not an object', 'yes'],
  ])('dpop() refuses %s with InvalidOptionsError', (_, settings) => {
    expect(() => dpop(settings as never)).toThrow(InvalidOptionsError);
  });

  it('refuses a key pair that is not ES256', async () => {
    const rsa = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      false,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    expect(() =>
      createTokenManager(provider(), { origins: [API], dpop: dpop({ keyPair: rsa }) }),
    ).toThrow(/dpop\.keyPair/);
  });

  it('refuses a key pair whose public key cannot be exported, or with the keys swapped', async () => {
    const pair = await extractablePair();
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const hidden = await crypto.subtle.importKey('jwk', jwk, ES256, false, ['verify']);
    expect(() =>
      createTokenManager(provider(), {
        origins: [API],
        dpop: dpop({ keyPair: { privateKey: pair.privateKey, publicKey: hidden } }),
      }),
    ).toThrow(/publicKey must be extractable/);
    expect(() =>
      createTokenManager(provider(), {
        origins: [API],
        dpop: dpop({ keyPair: { privateKey: pair.publicKey, publicKey: pair.privateKey } }),
      }),
    ).toThrow(InvalidOptionsError);
  });

  it('gives each manager of one dpop() value its own fresh key', async () => {
    const { sent, fetch } = tokenEndpoint((n) => tokenJson(n));
    const option = dpop();
    const managers = [1, 2].map((n) =>
      createTokenManager(provider(`secret-${n}-0123456789abcdef`), {
        origins: [API],
        fetch,
        dpop: option,
      }),
    );
    for (const manager of managers) await manager.getToken();
    const keys = await Promise.all(
      sent.map(
        async (request) => (await readProof(request.headers.get('dpop') as string)).header.jwk,
      ),
    );
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toEqual(keys[1]);
    await Promise.all(managers.map((manager) => manager.close()));
  });

  it('reads its settings once: changing them later changes nothing', async () => {
    const { fetch } = tokenEndpoint((n) => tokenJson(n, 'Bearer'));
    const settings: { allowBearer: boolean } = { allowBearer: false };
    const option = dpop(settings);
    settings.allowBearer = true;
    const auth = createTokenManager(provider(), { origins: [API], fetch, dpop: option });
    await expect(auth.getToken()).rejects.toBeInstanceOf(InvalidTokenResponseError);
    await auth.close();
  });

  it('accepts false as off: Bearer, no proof', async () => {
    const { fetch } = tokenEndpoint((n) => tokenJson(n, 'Bearer'));
    const auth = createTokenManager(provider(), { origins: [API], fetch, dpop: false });
    const authorization = await auth.authorize(`${API}/x`);
    expect(Object.keys(authorization?.headers ?? {})).toEqual(['Authorization']);
    await auth.close();
  });
});

describe('DPoP token requests', () => {
  it('carry a signed proof: dpop+jwt, public jwk only, htm, htu without query and fragment, iat, jti', async () => {
    const { sent, fetch } = tokenEndpoint((n) => tokenJson(n));
    const auth = createTokenManager(provider(), { origins: [API], fetch, dpop: dpop() });
    await auth.getToken();
    const proof = sent[0]?.headers.get('dpop') as string;
    const { header, claims, valid } = await readProof(proof);
    expect(valid).toBe(true);
    expect(header).toMatchObject({
      typ: 'dpop+jwt',
      alg: 'ES256',
      jwk: { kty: 'EC', crv: 'P-256' },
    });
    expect(header.jwk).not.toHaveProperty('d');
    expect(claims).toMatchObject({ htm: 'POST', htu: TOKEN_URL });
    expect(typeof claims.iat).toBe('number');
    expect(typeof claims.jti).toBe('string');
    expect(claims).not.toHaveProperty('ath');
    await auth.close();
  });

  it("retry once on the endpoint's use_dpop_nonce with its nonce and a new proof", async () => {
    const { sent, fetch } = tokenEndpoint((n) =>
      n === 1
        ? Response.json(
            { error: 'use_dpop_nonce' },
            { status: 400, headers: { 'DPoP-Nonce': 'nonce-1' } },
          )
        : tokenJson(n),
    );
    const auth = createTokenManager(provider(), { origins: [API], fetch, dpop: dpop() });
    const token = await auth.getToken();
    expect(token.tokenType).toBe('DPoP');
    expect(sent).toHaveLength(2);
    const first = await readProof(sent[0]?.headers.get('dpop') as string);
    const second = await readProof(sent[1]?.headers.get('dpop') as string);
    expect(first.claims.nonce).toBeUndefined();
    expect(second.claims.nonce).toBe('nonce-1');
    expect(second.claims.jti).not.toBe(first.claims.jti);
    await auth.close();
  });

  it('do not retry a second use_dpop_nonce', async () => {
    const { sent, fetch } = tokenEndpoint(() =>
      Response.json({ error: 'use_dpop_nonce' }, { status: 400, headers: { 'DPoP-Nonce': 'n' } }),
    );
    const auth = createTokenManager(provider(), { origins: [API], fetch, dpop: dpop() });
    await expect(auth.getToken()).rejects.toMatchObject({ error: 'use_dpop_nonce' });
    expect(sent).toHaveLength(2);
    await auth.close();
  });

  it('refuse a Bearer token with InvalidTokenResponseError unless allowBearer', async () => {
    const { fetch } = tokenEndpoint((n) => tokenJson(n, 'Bearer'));
    const strict = createTokenManager(provider(), { origins: [API], fetch, dpop: dpop() });
    const error = await strict.authorize(`${API}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect((error as Error).message).toMatch(/not DPoP.*allowBearer/);
    await strict.close();

    const lenient = createTokenManager(provider('another-secret-0123456789'), {
      origins: [API],
      fetch,
      dpop: dpop({ allowBearer: true }),
    });
    const authorization = await lenient.authorize(`${API}/x`);
    expect(authorization?.headers).toEqual({ Authorization: expect.stringMatching(/^Bearer /) });
    await lenient.close();
  });
});

describe('a DPoP provider', () => {
  it("keeps a class provider's inherited members (headers, label)", async () => {
    class Idp {
      readonly key = 'class-idp|client';
      readonly label = 'class idp';
      readonly origins = [API];
      fetchToken() {
        return Promise.resolve({
          accessToken: 'class-token-0123456789',
          tokenType: 'DPoP',
          issuedAt: Date.now(),
          expiresAt: Date.now() + 3_600_000,
        });
      }
      headers() {
        return { 'X-Tenant': 'acme' };
      }
    }
    const auth = createTokenManager(new Idp(), { dpop: dpop() });
    const authorization = await auth.authorize(`${API}/x`);
    expect(auth.label).toBe('class idp');
    expect(authorization?.headers).toMatchObject({ 'X-Tenant': 'acme', DPoP: expect.any(String) });
    await auth.close();
  });
});

describe('DPoP API requests', () => {
  it('carry Authorization: DPoP and a fresh proof per request with ath', async () => {
    const { fetch } = tokenEndpoint((n) => tokenJson(n));
    const auth = createTokenManager(provider(), { origins: [API], fetch, dpop: dpop() });
    const first = await auth.authorize(`${API}/orders?page=2#x`, { method: 'post' });
    const second = await auth.authorize(`${API}/orders?page=2#x`, { method: 'post' });
    const token = first?.token.accessToken as string;
    expect(first?.headers.Authorization).toBe(`DPoP ${token}`);
    const a = await readProof(first?.headers.DPoP as string);
    const b = await readProof(second?.headers.DPoP as string);
    const ath = Buffer.from(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)),
    ).toString('base64url');
    expect(a.valid && b.valid).toBe(true);
    expect(a.claims).toMatchObject({ htm: 'POST', htu: `${API}/orders`, ath });
    expect(a.claims.jti).not.toBe(b.claims.jti);
    expect(a.header.jwk).toEqual(b.header.jwk);
    await auth.close();
  });

  it("are never answered by the seam's synchronous cached(): each needs its own signed proof", async () => {
    const { fetch } = tokenEndpoint((n) => tokenJson(n));
    const auth = createTokenManager(provider(), { origins: [API], fetch, dpop: dpop() });
    const seam = requestAuth(auth);
    const request = { method: 'GET', url: `${API}/x` };
    expect((await seam.authorize(request))?.DPoP).toEqual(expect.any(String));
    // The token is cached now; a Bearer manager would answer at once.
    expect(seam.cached(request)).toBeUndefined();
    await auth.close();
  });

  it('heal a 401 use_dpop_nonce without a new token; invalid_token with one', async () => {
    const { sent, fetch } = tokenEndpoint((n) => tokenJson(n));
    const auth = createTokenManager(provider(), { origins: [API], fetch, dpop: dpop() });
    const seam = requestAuth(auth);
    const request = { method: 'GET', url: `${API}/a`, headers: new Headers() };
    for (const [k, v] of Object.entries((await seam.authorize(request)) ?? {}))
      request.headers.set(k, v);
    const retry = await seam.onResponse(request, {
      status: 401,
      headers: new Headers({
        'WWW-Authenticate': 'DPoP error="use_dpop_nonce"',
        'DPoP-Nonce': 'rs-nonce',
      }),
    });
    expect(sent).toHaveLength(1);
    expect(retry?.headers.Authorization).toBe(request.headers.get('authorization'));
    expect((await readProof(retry?.headers.DPoP as string)).claims.nonce).toBe('rs-nonce');

    const other = { method: 'GET', url: `${API}/b`, headers: new Headers() };
    for (const [k, v] of Object.entries((await seam.authorize(other)) ?? {}))
      other.headers.set(k, v);
    // The nonce is used from then on.
    expect((await readProof(other.headers.get('dpop') as string)).claims.nonce).toBe('rs-nonce');
    const refreshed = await seam.onResponse(other, {
      status: 401,
      headers: new Headers({ 'WWW-Authenticate': 'DPoP error="invalid_token"' }),
    });
    expect(sent).toHaveLength(2);
    expect(refreshed?.headers.Authorization).not.toBe(other.headers.get('authorization'));
    await auth.close();
  });
});

describe('DPoP nonces the seam sees', () => {
  it('are remembered from a 401 that is not retried, and from a success', async () => {
    const { fetch } = tokenEndpoint((n) => tokenJson(n));
    const auth = createTokenManager(provider(), { origins: [API], fetch, dpop: dpop() });
    const seam = requestAuth(auth);
    const nonceOf = async (url: string) => {
      const headers = new Headers();
      for (const [k, v] of Object.entries((await seam.authorize({ url, headers })) ?? {}))
        headers.set(k, v);
      return { headers, nonce: (await readProof(headers.get('dpop') as string)).claims.nonce };
    };
    const challenge = (nonce: string) => ({
      status: 401,
      headers: new Headers({
        'WWW-Authenticate': 'DPoP error="use_dpop_nonce"',
        'DPoP-Nonce': nonce,
      }),
    });
    const first = await nonceOf(`${API}/a`);
    const call = { url: `${API}/a`, headers: first.headers };
    expect(await seam.onResponse(call, challenge('n1'))).toBeDefined();
    // The retry meets another rotation: not retried again, but its nonce is kept.
    expect(await seam.onResponse(call, challenge('n2'))).toBeUndefined();
    expect((await nonceOf(`${API}/b`)).nonce).toBe('n2');
    await seam.onResponse(
      { url: `${API}/b` },
      { status: 200, headers: new Headers({ 'DPoP-Nonce': 'n3' }) },
    );
    expect((await nonceOf(`${API}/c`)).nonce).toBe('n3');
    // Another origin's nonce is not ours to use.
    await seam.onResponse(
      { url: 'https://elsewhere.example.com/' },
      { status: 200, headers: new Headers({ 'DPoP-Nonce': 'foreign' }) },
    );
    expect((await nonceOf(`${API}/d`)).nonce).toBe('n3');
    await auth.close();
  });
});

describe('DPoP cache keys', () => {
  it('keep DPoP tokens apart from Bearer tokens and from other keys; one key pair shares one', async () => {
    const store = memoryStore();
    const { sent, fetch } = tokenEndpoint((n) => tokenJson(n, n === 1 ? 'Bearer' : 'DPoP'));
    const bearer = createTokenManager(provider(), { origins: [API], fetch, store });
    const pair = await extractablePair();
    const ours = createTokenManager(provider(), {
      origins: [API],
      fetch,
      store,
      dpop: dpop({ keyPair: pair }),
    });
    const again = createTokenManager(provider(), {
      origins: [API],
      fetch,
      store,
      dpop: dpop({ keyPair: pair }),
    });
    const other = createTokenManager(provider(), { origins: [API], fetch, store, dpop: dpop() });
    const tokens = [
      await bearer.getToken(),
      await ours.getToken(),
      await again.getToken(),
      await other.getToken(),
    ].map((t) => t.accessToken);
    expect(sent).toHaveLength(3);
    expect(new Set(tokens).size).toBe(3);
    expect(tokens[1]).toBe(tokens[2]);
    expect(new Set([bearer.key, ours.key, other.key]).size).toBe(3);
    await Promise.all([bearer, ours, again, other].map((m) => m.close()));
  });

  it('lets another process with the same key pair find the token in a shared store (thumbprint key)', async () => {
    const store = memoryStore();
    const pair = await extractablePair();
    const keys: string[] = [];
    const spy = {
      ...store,
      get: (key: string) => {
        keys.push(key);
        return store.get(key);
      },
    };
    const { sent, fetch } = tokenEndpoint((n) => tokenJson(n));
    const first = createTokenManager(provider(), {
      origins: [API],
      fetch,
      store: spy,
      dpop: dpop({ keyPair: pair }),
    });
    await first.getToken();
    // Another "process": the same key material, imported anew (a different CryptoKeyPair object).
    const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const copy = {
      privateKey: await crypto.subtle.importKey('jwk', jwk, ES256, false, ['sign']),
      publicKey: await crypto.subtle.importKey('jwk', publicJwk, ES256, true, ['verify']),
    };
    const second = createTokenManager(provider(), {
      origins: [API],
      fetch,
      store: spy,
      dpop: dpop({ keyPair: copy }),
    });
    expect(second.key).not.toBe(first.key);
    await second.getToken();
    expect(sent).toHaveLength(1);
    expect(keys.every((key) => /\|dpop:[A-Za-z0-9_-]{43}$/.test(key))).toBe(true);
    await Promise.all([first.close(), second.close()]);
  });
});

describe('DPoP tokens after close', () => {
  it('are deleted from the store when the key was made for the manager, kept for a given key pair', async () => {
    const store = memoryStore();
    const { fetch } = tokenEndpoint((n) => tokenJson(n));
    const keys: string[] = [];
    const spy = {
      ...store,
      set: (key: string, token: never, ttl: number) => {
        keys.push(key);
        return store.set(key, token, ttl);
      },
    };
    const ephemeral = createTokenManager(provider(), {
      origins: [API],
      fetch,
      store: spy,
      dpop: dpop(),
    });
    const given = createTokenManager(provider(), {
      origins: [API],
      fetch,
      store: spy,
      dpop: dpop({ keyPair: await extractablePair() }),
    });
    await ephemeral.getToken();
    await given.getToken();
    await Promise.all([ephemeral.close(), given.close()]);
    expect(await store.get(keys[0] as string)).toBeUndefined();
    expect(await store.get(keys[1] as string)).toBeDefined();
  });
});

describe('the DPoP private key', () => {
  it('never appears in errors, events, debug lines or inspect output', async () => {
    const pair = await extractablePair();
    const { d } = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const events: TokenEvent[] = [];
    const lines: string[] = [];
    const { fetch } = tokenEndpoint((n) =>
      n === 1 ? Response.json({ error: 'server_error' }, { status: 503 }) : tokenJson(n, 'Bearer'),
    );
    const options = {
      origins: [API],
      fetch,
      dpop: dpop({ keyPair: pair }),
      maxAttempts: 2,
      retryBaseDelayMs: 0,
      onEvent: (event: TokenEvent) => events.push(event),
      debug: (line: string) => lines.push(line),
    };
    const auth = createTokenManager(provider(), options);
    const error = await auth.authorize(`${API}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    const seam = requestAuth(auth);
    const seen = [
      inspect(error, { depth: 10, showHidden: true }),
      JSON.stringify(error),
      inspect(events, { depth: 10, showHidden: true }),
      JSON.stringify(events),
      lines.join('\n'),
      inspect(auth, { depth: 10, showHidden: true }),
      inspect(seam, { depth: 10, showHidden: true }),
      JSON.stringify(auth),
      inspect(options.dpop, { depth: 10, showHidden: true }),
      JSON.stringify(options.dpop),
    ].join('\n');
    expect(events.length).toBeGreaterThan(1);
    expect(lines.length).toBeGreaterThan(1);
    expect(seen).not.toContain(d);
    await auth.close();
  });
});
