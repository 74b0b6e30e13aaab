// A caller that aborts while reauthorize() is invalidating: it must not start a fetch it will not
// wait for, and that fetch's failure must not become an unhandled rejection.
import {
  clientCredentials,
  createTokenManager,
  memoryStore,
  type Token,
  type TokenManager,
} from '@authwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { authwireErrorIn } from './leak-guard.ts';

const API = 'https://api.example';
const rejected: Token = {
  accessToken: 'rejected-token',
  tokenType: 'Bearer',
  issuedAt: 0,
  expiresAt: 1,
};
const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((auth) => auth.close()));
});

/** A manager whose token endpoint answers `status`/`body`, counting calls. */
function setup(body: string) {
  const seen = { calls: 0 };
  const auth = createTokenManager(
    clientCredentials({
      tokenUrl: 'https://id.example/token',
      clientId: 'c',
      clientSecret: 'race-secret',
    }),
    {
      origins: [API],
      store: memoryStore(),
      maxAttempts: 1,
      fetch: async () => {
        seen.calls += 1;
        return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
      },
    },
  );
  managers.push(auth);
  return { auth, seen };
}

/** Calls reauthorize() and aborts in the same tick, while it awaits the store's delete. */
async function abortDuringReauthorize(auth: TokenManager): Promise<unknown> {
  const controller = new AbortController();
  const pending = auth.reauthorize(`${API}/orders`, rejected, { signal: controller.signal });
  controller.abort();
  return pending.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('abort during reauthorize()', () => {
  it('rejects the aborted caller with a typed abort', async () => {
    const { auth } = setup(JSON.stringify({ access_token: 'fresh-token', expires_in: 3600 }));
    expect(authwireErrorIn(await abortDuringReauthorize(auth))?.code).toBe('aborted');
  });

  // Found by the schedules property: an abort during reauthorize() used to start an orphan fetch.
  it('starts no token request for a caller that already aborted', async () => {
    const { auth, seen } = setup(JSON.stringify({ access_token: 'fresh-token', expires_in: 3600 }));
    await abortDuringReauthorize(auth);
    expect(seen.calls).toBe(0);
  });

  it('leaves no unhandled rejection when that fetch fails', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', listener);
    try {
      const { auth } = setup('');
      await abortDuringReauthorize(auth);
      for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', listener);
    }
    expect(unhandled).toEqual([]);
  });
});
