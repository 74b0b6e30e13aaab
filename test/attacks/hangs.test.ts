// Hangs: store and provider calls race the request deadline; close() always settles within its bound.
import { randomUUID } from 'node:crypto';
import {
  createTokenManager,
  memoryStore,
  type Token,
  type TokenManagerOptions,
  type TokenProvider,
  type TokenStore,
} from '@authwire/core';
import { describe, expect, it } from 'vitest';
import { hungStore, never, useScriptedIdp } from './scripted-idp.ts';
import { assertNoSecrets, eventLog, leakGuard, rejectionOf, within } from './support.ts';

leakGuard();
const SECRET = 'hangs-Secret-5150';
const API = 'https://api.example.com';
const env = useScriptedIdp(SECRET);
const FAST: TokenManagerOptions = { requestTimeoutMs: 300, maxAttempts: 1 };

describe('hangs: store and provider calls race the request deadline', () => {
  it.each([
    ['get', ['get']],
    ['set', ['set']],
    ['get and set', ['get', 'set']],
  ] as const)(
    'a store whose %s never settles degrades to in-process (store_error), within the deadline',
    async (_label, hung) => {
      const path = env.uniquePath();
      const log = eventLog();
      const auth = env.track(
        createTokenManager(env.provider(path), {
          ...FAST,
          origins: [API],
          store: hungStore(hung),
          onEvent: log.onEvent,
        }),
      );
      const token = await within(auth.getToken(), 3_000, 'getToken with a hung store');
      expect(token.tokenType).toBe('Bearer');
      expect(env.idp.count(path)).toBe(1);
      expect(log.events.some((e) => e.type === 'store_error')).toBe(true);
      assertNoSecrets([log.events, auth], [SECRET, token.accessToken]);
    },
  );

  it('a store whose delete never settles does not hang reauthorize()', async () => {
    const path = env.uniquePath();
    const auth = env.track(
      createTokenManager(env.provider(path), {
        ...FAST,
        origins: [API],
        store: hungStore(['delete']),
      }),
    );
    const first = await auth.getToken();
    const healed = await within(
      auth.reauthorize(`${API}/orders`, first),
      3_000,
      'reauthorize with a hung delete',
    );
    expect(healed?.token.accessToken).not.toBe(first.accessToken);
    expect(env.idp.count(path)).toBe(2);
  });

  it('a provider ignoring ctx.signal times out with TimeoutError, and the key’s other managers are not stuck', async () => {
    const key = `ignores-signal-${randomUUID()}`;
    const stuck: TokenProvider = { key, label: 'stuck', fetchToken: () => never<Token>() };
    const first = env.track(createTokenManager(stuck, { ...FAST, origins: [API] }));
    const second = env.track(createTokenManager(stuck, { ...FAST, origins: [API] }));
    const a = await rejectionOf(within(first.getToken(), 3_000, 'first getToken'));
    // Ended by its own request timeout (one 300 ms attempt), not by the 3 s guard.
    expect(a.error).toMatchObject({ code: 'timeout', attempts: 1 });
    expect((a.error as Error).message).toContain('requestTimeoutMs 300');
    const b = await rejectionOf(within(second.getToken(), 3_000, 'second getToken'));
    expect(b.error).toMatchObject({ code: 'timeout' });
    assertNoSecrets([a.error, b.error, first, stuck], [SECRET]);
  });

  it('close() settles within its bound while a fetch ignoring its signal is in flight; its caller gets ClosedError', async () => {
    const key = `hung-fetch-close-${randomUUID()}`;
    const stuck: TokenProvider = { key, label: 'stuck', fetchToken: () => never<Token>() };
    const auth = createTokenManager(stuck, { origins: [API], requestTimeoutMs: 60_000 });
    const waiting = rejectionOf(auth.getToken());
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    await within(auth.close(), 8_000, 'close()');
    expect(performance.now() - started).toBeLessThan(6_000);
    const { error } = await within(waiting, 1_000, 'the waiting caller');
    expect(error).toMatchObject({ code: 'closed' });
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'closed' });
  });

  it('close() with revokeOnClose settles within its bound when revoke and the store delete never settle', async () => {
    const key = `hung-close-${randomUUID()}`;
    const stuck: TokenProvider = {
      key,
      label: 'stuck',
      fetchToken: async () => ({
        accessToken: 'abc',
        tokenType: 'Bearer',
        issuedAt: Date.now(),
        expiresAt: Date.now() + 3_600_000,
      }),
      revoke: () => never(),
    };
    const auth = createTokenManager(stuck, {
      origins: [API],
      store: hungStore(['delete']),
      revokeOnClose: true,
      requestTimeoutMs: 60_000,
    });
    await auth.getToken();
    const started = performance.now();
    await within(auth.close(), 8_000, 'close()');
    expect(performance.now() - started).toBeLessThan(6_000);
  });
});

// A process that exits right after a failed token request (a CLI, a serverless invocation) must
// not leave the fleet lock held for lockTtlMs (seen with redisStore in credential-binding.test.ts).
describe('the fleet lock of a failed token request', () => {
  it('is released before the failure reaches the caller (a process exiting right after must not block the fleet)', async () => {
    const path = env.uniquePath();
    let released = false;
    const inner = memoryStore();
    const store: TokenStore = {
      get: (k) => inner.get(k),
      set: (k, t, ttl) => inner.set(k, t, ttl),
      delete: (k, t) => inner.delete(k, t),
      lock: async () => ({
        release: () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              released = true;
              resolve();
            }, 20),
          ),
      }),
    };
    const auth = env.track(
      createTokenManager(env.provider(path, ['401']), { origins: [API], store, maxAttempts: 1 }),
    );
    const { error } = await rejectionOf(auth.getToken());
    expect(error).toMatchObject({ code: 'token_request_failed', status: 401 });
    expect(released).toBe(true);
  });
});
