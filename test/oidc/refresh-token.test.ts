// The refresh_token grant against a real OpenID provider that rotates refresh tokens and revokes the grant on reuse.
import {
  createTokenManager,
  memoryStore,
  type TokenEvent,
  type TokenManager,
  type TokenStore,
} from '@authwire/core';
import { InvalidGrantError, refreshToken } from '@authwire/core/grants';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecrets } from '../attacks/support.ts';
import { API, type Idp, startIdp } from './idp.ts';

let idp: Idp;
const managers: TokenManager[] = [];
beforeAll(async () => {
  idp = await startIdp({ accessTokenTtl: 60 });
});
afterAll(() => idp.close());
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

function manage(
  store: TokenStore,
  initial: string,
  rotated: string[],
  events?: TokenEvent[],
): TokenManager {
  const manager = createTokenManager(
    refreshToken({
      issuer: idp.issuer,
      clientId: 'rt-client',
      clientSecret: idp.secrets.refresh,
      refreshToken: initial,
      onRotate: (next) => {
        rotated.push(next);
      },
    }),
    {
      origins: [API],
      store,
      ...(events ? { onEvent: (event: TokenEvent) => events.push(event) } : {}),
    },
  );
  managers.push(manager);
  return manager;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('refreshToken()', () => {
  it('spends the current refresh token on each renewal and reports every rotation in order', async () => {
    const initial = await idp.seedRefreshToken();
    const issuedBefore = idp.refreshTokens.length;
    const rotated: string[] = [];
    const auth = manage(memoryStore(), initial, rotated);
    const first = await auth.getToken();
    const second = await auth.getToken({ forceRefresh: true });
    const third = await auth.getToken({ forceRefresh: true });
    await settle();
    expect(new Set([first.accessToken, second.accessToken, third.accessToken]).size).toBe(3);
    expect(rotated).toEqual(idp.refreshTokens.slice(issuedBefore));
    expect(rotated).toHaveLength(3);
    expect(idp.revokedGrants).toEqual([]);
  });

  it('a restarted process configured with the spent token takes the newest one from the store', async () => {
    const initial = await idp.seedRefreshToken();
    const store = memoryStore();
    const rotated: string[] = [];
    const before = manage(store, initial, rotated);
    await before.getToken();
    await before.getToken({ forceRefresh: true });
    await before.close();
    // Same configuration (the original, long spent), same store: a restart.
    const after = manage(store, initial, rotated);
    await after.getToken({ forceRefresh: true });
    await settle();
    expect(idp.revokedGrants).toEqual([]);
    expect(rotated).toHaveLength(3);
    expect(new Set(rotated).size).toBe(3);
  });

  it('turns invalid_grant into a terminal InvalidGrantError that never sends that token again', async () => {
    const initial = await idp.seedRefreshToken();
    // Spent elsewhere: the server rotated it and will refuse it (and revoke the grant).
    await manage(memoryStore(), initial, []).getToken();
    const events: TokenEvent[] = [];
    const provider = refreshToken({
      issuer: idp.issuer,
      clientId: 'rt-client',
      clientSecret: idp.secrets.refresh,
      refreshToken: initial,
    });
    const auth = createTokenManager(provider, {
      origins: [API],
      store: memoryStore(),
      onEvent: (event) => events.push(event),
    });
    managers.push(auth);
    const errorsBefore = idp.errors.length;
    const error = await auth.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect(error).toMatchObject({ code: 'invalid_grant', error: 'invalid_grant' });
    const again = await auth.getToken().catch((caught: unknown) => caught);
    expect(again).toBeInstanceOf(InvalidGrantError);
    // One refusal from the server: the second call did not send the token again, nor retried.
    expect(idp.errors.slice(errorsBefore)).toEqual(['invalid_grant']);
    expect(
      events
        .filter((event) => event.type === 'token_request_failed')
        .every((event) => event.type === 'token_request_failed' && !event.willRetry),
    ).toBe(true);
    assertNoSecrets(
      [error, again, events, provider, auth, provider.key],
      [initial, idp.secrets.refresh],
    );
  });
});
