// A fleet and DPoP on Redis: one key pair → one token for every process; a process with its own key → its own token.
import { randomUUID } from 'node:crypto';
import {
  authFetch,
  clientCredentials,
  createTokenManager,
  type TokenManager,
} from '@authwire/core';
import { dpop } from '@authwire/core/dpop';
import { redisStore } from '@authwire/redis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, type DpopIdp, startDpopIdp } from './dpop-idp.ts';
import { type ResourceServer, startResourceServer } from './resource-server.ts';

const redisUrl = process.env.AUTHWIRE_REDIS_URL;
const ES256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
/** Managers standing for processes (each its own in-process cache), and callers per process. */
const PROCESSES = 8;
const CALLERS = 25;

/** The same key material as every process would import it from a secret manager: a new CryptoKeyPair each time. */
async function importPair(jwk: { privateJwk: JsonWebKey; publicJwk: JsonWebKey }) {
  return {
    privateKey: await crypto.subtle.importKey('jwk', jwk.privateJwk, ES256, false, ['sign']),
    publicKey: await crypto.subtle.importKey('jwk', jwk.publicJwk, ES256, true, ['verify']),
  };
}

describe.skipIf(redisUrl === undefined && !process.env.CI)('DPoP across a fleet on Redis', () => {
  let idp: DpopIdp;
  let api: ResourceServer;
  let client: ReturnType<typeof createClient>;
  const prefix = `authwire-dpop-test:${randomUUID()}:`;
  const managers: TokenManager[] = [];

  beforeAll(async () => {
    const probe = await startResourceServer({ kty: 'RSA', n: 'AQAB', e: 'AQAB' });
    const origin = probe.origin;
    await probe.close();
    idp = await startDpopIdp(origin);
    api = await startResourceServer(idp.signingKey);
    client = createClient({ url: redisUrl as string });
    await client.connect();
  });

  afterAll(async () => {
    await Promise.all(managers.map((m) => m.close()));
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*` })) {
      if (keys.length > 0) await client.del(keys);
    }
    await client.quit();
    await api.close();
    await idp.close();
  });

  const manager = (keyPair?: CryptoKeyPair) => {
    const auth = createTokenManager(
      clientCredentials({
        tokenUrl: idp.tokenUrl,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      }),
      { origins: [api.origin], store: redisStore({ client, prefix }), dpop: dpop({ keyPair }) },
    );
    managers.push(auth);
    return auth;
  };

  it('shares one token among processes holding the same key pair, and keeps a process with its own key apart', async () => {
    const pair = (await crypto.subtle.generateKey(ES256, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const jwk = {
      privateJwk: await crypto.subtle.exportKey('jwk', pair.privateKey),
      publicJwk: await crypto.subtle.exportKey('jwk', pair.publicKey),
    };
    const fleet = await Promise.all(
      Array.from({ length: PROCESSES }, async () => manager(await importPair(jwk))),
    );
    const tokensBefore = idp.tokens();
    const accepted = api.accepted.size;
    const results = await Promise.all(
      fleet.flatMap((auth) => {
        const send = authFetch(auth);
        return Array.from({ length: CALLERS }, (_, i) => send(`${api.origin}/fleet/${i}`));
      }),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(idp.tokens() - tokensBefore).toBe(1);
    expect(api.accepted.size - accepted).toBe(PROCESSES * CALLERS);

    // A process with a key of its own cannot use the fleet's token: it gets one bound to its key.
    const loner = authFetch(manager());
    expect((await loner(`${api.origin}/loner`)).status).toBe(200);
    expect(idp.tokens() - tokensBefore).toBe(2);
    expect(api.refusals).toEqual([]);
  });
});
