import { describe, expect, it, vi } from 'vitest';
import { createTokenManager, memoryStore, type Token, type TokenManager } from '../src/index.ts';
import { cached } from './cached.ts';
import { fakeProvider } from './fake-provider.ts';
import { managersOnFakeTime } from './fake-time.ts';

const API = 'https://api.example.com/orders';
const LIFETIME = 300_000;
const managers = managersOnFakeTime();

function setup(revokes: boolean, outcome?: (n: number) => Error | undefined) {
  const provider = fakeProvider({
    lifetimeMs: LIFETIME,
    delayMs: 200,
    ...(outcome ? { outcome } : {}),
  });
  const auth = createTokenManager(
    { ...provider, fetchToken: provider.fetchToken, refreshRevokesPrevious: revokes },
    { store: memoryStore(), refreshWindowMs: 60_000 },
  );
  managers.push(auth);
  return { provider, auth };
}

/** 20 callers arriving while the refresh is on the wire: which token each one gets. */
async function callersDuringRefresh(auth: TokenManager): Promise<Token[]> {
  await Promise.all([auth.getToken(), vi.advanceTimersByTimeAsync(200)]);
  await vi.advanceTimersByTimeAsync(LIFETIME - 50_000); // inside the 60 s window
  const first = auth.getToken(); // starts the refresh
  const during = Array.from({ length: 20 }, () => auth.getToken());
  await vi.advanceTimersByTimeAsync(200);
  return Promise.all([first, ...during]);
}

describe('a provider whose refresh revokes the token it replaces', () => {
  it('holds callers arriving during the refresh, so none is handed the dying token', async () => {
    const { auth, provider } = setup(true);
    const tokens = await callersDuringRefresh(auth);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['token-2']));
    expect(provider.calls).toHaveLength(2);
    expect(provider.calls[1]?.reason).toBe('refresh');
    // Nothing is cached-and-dying while the refresh is out: the seam's fast path waits too.
    expect((await cached(auth, API))?.token.accessToken).toBe('token-2');
  });

  it('falls back to the old token when the refresh fails (it was not revoked)', async () => {
    const failing = (n: number) => (n === 2 ? new Error('refresh broke') : undefined);
    const { auth } = setup(true, failing);
    const tokens = await callersDuringRefresh(auth);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
  });

  it('keeps serving the old token during the refresh when the provider does not revoke', async () => {
    const { auth } = setup(false);
    const tokens = await callersDuringRefresh(auth);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
    expect((await auth.getToken()).accessToken).toBe('token-2');
  });
});
