// Client credentials against a real OpenID provider: every JWT client authentication, discovery, resource indicators, typed refusals without key material.
import { webcrypto } from 'node:crypto';
import {
  createTokenManager,
  memoryStore,
  type TokenEvent,
  type TokenManager,
} from '@authwire/core';
import {
  clearDiscoveryCache,
  clientCredentialsGrant,
  DiscoveryError,
  InvalidClientError,
} from '@authwire/core/grants';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecrets } from '../attacks/support.ts';
import { API, type Idp, OTHER_API, startIdp } from './idp.ts';

let idp: Idp;
const managers: TokenManager[] = [];
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
  clearDiscoveryCache();
});

function manage(
  provider: ReturnType<typeof clientCredentialsGrant>,
  events?: TokenEvent[],
): TokenManager {
  const manager = createTokenManager(provider, {
    origins: [API],
    store: memoryStore(),
    ...(events ? { onEvent: (event: TokenEvent) => events.push(event) } : {}),
  });
  managers.push(manager);
  return manager;
}

/** Every private member of a JWK: what must never show anywhere. */
const privateParts = (jwk: Record<string, unknown>): string[] =>
  ['d', 'p', 'q', 'dp', 'dq', 'qi']
    .map((name) => jwk[name])
    .filter((v): v is string => typeof v === 'string');

describe('private_key_jwt', () => {
  for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA'] as const) {
    it(`gets a token signed ${alg} with a private JWK, by token URL`, async () => {
      const before = idp.grants.get('client_credentials') ?? 0;
      const auth = manage(
        clientCredentialsGrant({
          tokenUrl: `${idp.issuer}/token`,
          clientId: `cc-${alg.toLowerCase()}`,
          privateKey: idp.keys[alg].privateJwk,
          algorithm: alg,
          resource: API,
        }),
      );
      const token = await auth.getToken();
      expect(decodeJwt(token.accessToken)).toMatchObject({
        aud: API,
        client_id: `cc-${alg.toLowerCase()}`,
      });
      expect(idp.grants.get('client_credentials')).toBe(before + 1);
    });
  }

  it('gets a token with a non-extractable CryptoKey and a kid, the kid binding the cache key', async () => {
    const key = await webcrypto.subtle.importKey(
      'jwk',
      idp.keys.ES256.privateJwk as JsonWebKey,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    const provider = clientCredentialsGrant({
      issuer: idp.issuer,
      clientId: 'cc-es256',
      privateKey: key as CryptoKey,
      keyId: 'ES256-key',
      resource: API,
    });
    expect(provider.key).toContain('kid%3AES256-key');
    const token = await manage(provider).getToken();
    expect(decodeJwt(token.accessToken).aud).toBe(API);
  });

  it('signs with the issuer as audience when asked, which the server accepts', async () => {
    const token = await manage(
      clientCredentialsGrant({
        issuer: idp.issuer,
        clientId: 'cc-ps256',
        privateKey: idp.keys.PS256.privateJwk,
        algorithm: 'PS256',
        assertionAudience: 'issuer',
        resource: API,
      }),
    ).getToken();
    expect(decodeJwt(token.accessToken)).toMatchObject({ aud: API, client_id: 'cc-ps256' });
  });

  it('binds the cache key to the key pair (RFC 7638 thumbprint), never to private material', () => {
    const jwk = idp.keys.RS256.privateJwk;
    const a = clientCredentialsGrant({
      tokenUrl: `${idp.issuer}/token`,
      clientId: 'cc-rs256',
      privateKey: jwk,
    });
    const b = clientCredentialsGrant({
      tokenUrl: `${idp.issuer}/token`,
      clientId: 'cc-rs256',
      privateKey: idp.strangerKey.privateJwk,
    });
    expect(a.key).not.toBe(b.key);
    assertNoSecrets([a, a.key, a.label], privateParts(jwk));
  });

  it('refuses a key the server does not know with a typed invalid_client and no key material anywhere', async () => {
    const events: TokenEvent[] = [];
    const jwk = idp.strangerKey.privateJwk;
    const provider = clientCredentialsGrant({
      issuer: idp.issuer,
      clientId: 'cc-rs256',
      privateKey: jwk,
    });
    const auth = manage(provider, events);
    const error = await auth.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidClientError);
    expect(error).toMatchObject({ code: 'invalid_client', error: 'invalid_client', status: 401 });
    // Terminal: one request, no retry.
    expect(events.filter((event) => event.type === 'token_request')).toHaveLength(1);
    assertNoSecrets([error, events, provider, auth], privateParts(jwk));
  });
});

describe('client_secret_jwt', () => {
  it('gets a token with an HS256 assertion', async () => {
    const token = await manage(
      clientCredentialsGrant({
        issuer: idp.issuer,
        clientId: 'cc-hs256',
        clientSecret: idp.secrets.hs256,
        authMethod: 'client_secret_jwt',
        resource: API,
      }),
    ).getToken();
    expect(decodeJwt(token.accessToken)).toMatchObject({ aud: API, client_id: 'cc-hs256' });
  });

  it('refuses a wrong secret with a typed invalid_client that shows no secret', async () => {
    const events: TokenEvent[] = [];
    const wrong = 'wrong-secret-0123456789abcdef0123456789abcdef';
    const provider = clientCredentialsGrant({
      tokenUrl: `${idp.issuer}/token`,
      clientId: 'cc-hs256',
      clientSecret: wrong,
      authMethod: 'client_secret_jwt',
    });
    const auth = manage(provider, events);
    const error = await auth.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidClientError);
    expect((error as InvalidClientError).code).toBe('invalid_client');
    assertNoSecrets([error, events, provider, auth, provider.key], [wrong, idp.secrets.hs256]);
  });
});

describe('discovery', () => {
  it('fetches the metadata once for 50 managers, and picks the method from the server list', async () => {
    const before = idp.metadataRequests();
    const grantsBefore = idp.grants.get('client_credentials') ?? 0;
    const fleet = Array.from({ length: 50 }, () =>
      manage(
        clientCredentialsGrant({
          issuer: idp.issuer,
          clientId: 'cc-basic',
          clientSecret: idp.secrets.basic,
        }),
      ),
    );
    const tokens = await Promise.all(fleet.map((manager) => manager.getToken()));
    expect(tokens.every((token) => token.accessToken.length > 0)).toBe(true);
    expect(idp.metadataRequests() - before).toBe(1);
    // Each manager had its own store: 50 tokens, all through client_secret_basic (the client's only method).
    expect((idp.grants.get('client_credentials') ?? 0) - grantsBefore).toBe(50);
  });

  it('refuses metadata whose issuer is not exactly the configured one, with a typed error', async () => {
    const before = idp.grants.get('client_credentials') ?? 0;
    // Same server, another spelling of its address: the document says 127.0.0.1.
    const issuer = `http://localhost:${idp.port}`;
    const error = await manage(
      clientCredentialsGrant({ issuer, clientId: 'cc-basic', clientSecret: idp.secrets.basic }),
    )
      .getToken()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscoveryError);
    expect(error).toMatchObject({ code: 'discovery_failed', issuer });
    expect(idp.grants.get('client_credentials') ?? 0).toBe(before);
  });
});

describe('resource indicators', () => {
  it('keeps one token per resource, each for its audience', async () => {
    const store = memoryStore();
    const make = (resource: string) => {
      const manager = createTokenManager(
        clientCredentialsGrant({
          issuer: idp.issuer,
          clientId: 'cc-es256',
          privateKey: idp.keys.ES256.privateJwk,
          resource,
        }),
        { origins: [resource], store },
      );
      managers.push(manager);
      return manager;
    };
    const before = idp.grants.get('client_credentials') ?? 0;
    const [api, other, apiAgain] = await Promise.all([
      make(API).getToken(),
      make(OTHER_API).getToken(),
      make(API).getToken(),
    ]);
    expect(decodeJwt(api.accessToken).aud).toBe(API);
    expect(decodeJwt(other.accessToken).aud).toBe(OTHER_API);
    expect(apiAgain.accessToken).toBe(api.accessToken);
    expect((idp.grants.get('client_credentials') ?? 0) - before).toBe(2);
  });
});
