// DPoP end to end: oidc-provider with DPoP and nonces required, a resource server checking every proof with jose, every client.
import { clientCredentials, createTokenManager, type TokenManager } from '@authwire/core';
import { dpop } from '@authwire/core/dpop';
import { clientCredentialsGrant } from '@authwire/core/grants';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Driver, SUBJECTS } from '../drivers/index.ts';
import { CLIENT_ID, CLIENT_SECRET, type DpopIdp, JWT_CLIENT_ID, startDpopIdp } from './dpop-idp.ts';
import { type ResourceServer, startResourceServer } from './resource-server.ts';

const HERD = 50;

let idp: DpopIdp;
let api: ResourceServer;
const managers: TokenManager[] = [];

beforeAll(async () => {
  // The API's origin is the token audience: start a placeholder to learn it, then the real pair.
  const { startResourceServer: start } = await import('./resource-server.ts');
  const probe = await start({ kty: 'RSA', n: 'AQAB', e: 'AQAB' });
  const origin = probe.origin;
  await probe.close();
  idp = await startDpopIdp(origin);
  api = await startResourceServer(idp.signingKey);
});

afterAll(async () => {
  await api?.close();
  await idp?.close();
});

afterEach(async () => {
  api.clearNonce();
  api.announceNonce(false);
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

/** A DPoP manager of its own key pair (so each test starts cold). */
function manager(): TokenManager {
  const auth = createTokenManager(
    clientCredentials({ tokenUrl: idp.tokenUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    { origins: [api.origin], dpop: dpop() },
  );
  managers.push(auth);
  return auth;
}

/** What the servers saw during `run`. */
async function counted(run: () => Promise<void>) {
  const before = {
    tokens: idp.tokens(),
    nonceErrors: idp.errors.filter((e) => e === 'use_dpop_nonce').length,
    accepted: api.accepted.size,
    refusals: api.refusals.length,
  };
  await run();
  return {
    tokens: idp.tokens() - before.tokens,
    tokenNonceChallenges:
      idp.errors.filter((e) => e === 'use_dpop_nonce').length - before.nonceErrors,
    accepted: api.accepted.size - before.accepted,
    refusals: api.refusals.slice(before.refusals),
  };
}

const send = (driver: Driver, i: number) =>
  i % 2 === 0
    ? driver.get(`${api.origin}/orders?page=${i}#top`)
    : driver.post(`${api.origin}/orders`, { order: i });

describe.each(SUBJECTS)('DPoP through $name', (subject) => {
  it('a cold herd of 50 (GET and POST) makes 1 token request and sends 50 valid, unique proofs', async () => {
    const driver = subject.create(manager());
    const bodies = api.bodies.length;
    let results: { status: number }[] = [];
    const seen = await counted(async () => {
      results = await Promise.all(Array.from({ length: HERD }, (_, i) => send(driver, i)));
    });
    expect(results.map((r) => r.status)).toEqual(Array(HERD).fill(200));
    expect(seen.tokens).toBe(1);
    expect(idp.tokenTypes.at(-1)).toBe('DPoP');
    // The token endpoint asked for its nonce once; the one retry carried it.
    expect(seen.tokenNonceChallenges).toBe(1);
    expect(seen.accepted).toBe(HERD);
    expect(seen.refusals).toEqual([]);
    expect(api.bodies.length - bodies).toBe(HERD / 2);
  });

  it("heals the API's use_dpop_nonce with one retry, a new proof and no new token (GET and POST)", async () => {
    const driver = subject.create(manager());
    await driver.get(`${api.origin}/warm`);
    for (const method of ['GET', 'POST'] as const) {
      // A nonce the client has never seen, with no grace for the one it knows.
      api.clearNonce();
      api.rotateNonce();
      const seen = await counted(async () => {
        const result =
          method === 'GET'
            ? await driver.get(`${api.origin}/orders`)
            : await driver.post(`${api.origin}/orders`, { order: 1 });
        expect(result.status).toBe(200);
      });
      expect(seen.tokens).toBe(0);
      expect(seen.refusals).toEqual(['use_dpop_nonce']);
      expect(seen.accepted).toBe(1);
    }
  });

  it('uses the nonce the API gives from then on: a herd after a challenge is not challenged again', async () => {
    const driver = subject.create(manager());
    await driver.get(`${api.origin}/warm`);
    api.rotateNonce();
    await driver.get(`${api.origin}/challenge`);
    const seen = await counted(async () => {
      const results = await Promise.all(Array.from({ length: HERD }, (_, i) => send(driver, i)));
      expect(results.every((r) => r.status === 200)).toBe(true);
    });
    expect(seen).toMatchObject({ tokens: 0, accepted: HERD, refusals: [] });
  });

  it('heals invalid_token with exactly one refresh and one retry', async () => {
    const driver = subject.create(manager());
    await driver.get(`${api.origin}/warm`);
    api.revoke(api.lastToken() as string);
    const seen = await counted(async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(driver, i)));
      expect(results.every((r) => r.status === 200)).toBe(true);
    });
    expect(seen.tokens).toBe(1);
    expect(seen.accepted).toBe(20);
    expect(seen.refusals.every((r) => r === 'invalid_token')).toBe(true);
  });
});

describe('DPoP with a signed client assertion (private_key_jwt)', () => {
  it("answers the token endpoint's use_dpop_nonce with a new request: a new proof and a new assertion", async () => {
    const auth = createTokenManager(
      clientCredentialsGrant({
        tokenUrl: idp.tokenUrl,
        clientId: JWT_CLIENT_ID,
        privateKey: idp.clientKey as never,
        algorithm: 'ES256',
      }),
      { origins: [api.origin], dpop: dpop() },
    );
    managers.push(auth);
    const driver = SUBJECTS[0]?.create(auth) as Driver;
    const seen = await counted(async () => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => send(driver, i)));
      expect(results.every((r) => r.status === 200)).toBe(true);
    });
    // A replayed assertion would be refused (invalid_client): the retry built a new one.
    expect(seen).toMatchObject({ tokens: 1, tokenNonceChallenges: 1, accepted: 10, refusals: [] });
    expect(idp.errors).not.toContain('invalid_client');
  });
});

describe('DPoP nonces on successful answers', () => {
  // axios (either adapter) calls the seam only for an error status, so it learns a nonce from a
  // challenge instead.
  it.each(SUBJECTS.filter((s) => !s.name.startsWith('axios')))(
    '$name uses a DPoP-Nonce first sent on a 200 and is never challenged',
    async (subject) => {
      const driver = subject.create(manager());
      api.announceNonce(true);
      api.rotateNonce();
      // Cold: one challenge, and the retry's 200 announces the nonce.
      await driver.get(`${api.origin}/first`);
      const seen = await counted(async () => {
        // Each rotation keeps the nonce before it: a client that did not learn the one announced
        // on the previous 200 sends one that is two rotations old and is challenged.
        for (let i = 0; i < 5; i++) {
          api.rotateNonce();
          expect((await driver.get(`${api.origin}/rotating`)).status).toBe(200);
        }
      });
      expect(seen).toMatchObject({ tokens: 0, accepted: 5, refusals: [] });
    },
  );
});
