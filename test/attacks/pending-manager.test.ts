// Attack cases whose fix lives in the lead's core rewrite (token manager, fetcher, key state,
// request seam). They fail on the security branch until that lands; move each into its themed file
// once it passes.
import { randomUUID } from 'node:crypto';
import {
  authFetch,
  clientCredentials,
  createTokenManager,
  memoryStore,
  RateLimitedError,
  type Token,
  type TokenManager,
  type TokenManagerOptions,
  type TokenProvider,
  type TokenStore,
} from '@authwire/core';
import { norce } from '@authwire/norce';
import { oracleCommerce } from '@authwire/oracle-commerce';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHURN_PENDING, redirectToForeign401 } from './churn-cases.ts';
import {
  assertNoSecrets,
  eventLog,
  type HostileServer,
  hostileServer,
  leakGuard,
  rejectionOf,
  sendJson,
  steppableClock,
  tokenAnswer,
  within,
} from './support.ts';

leakGuard();
const SECRET = 'pending-Secret-5150';
const API = 'https://api.example.com';
const never = <T>(): Promise<T> => new Promise<T>(() => {});

/** path → scripted answers ('429:<seconds>' or '401'); then a token. */
const scripts = new Map<string, string[]>();
let idp: HostileServer;
const managers: TokenManager[] = [];
beforeAll(async () => {
  idp = await hostileServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const next = scripts.get(path)?.shift();
    if (next?.startsWith('429:')) {
      sendJson(res, 429, { error: 'slow_down' }, { 'retry-after': next.slice(4) });
    } else if (next === '401') {
      sendJson(res, 401, { error: 'invalid_client' });
    } else {
      tokenAnswer(res, idp.issue());
    }
  });
});
afterAll(() => idp.close());
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => within(m.close(), 10_000, 'close()')));
});
const track = <T extends TokenManager>(m: T): T => {
  managers.push(m);
  return m;
};

function provider(path: string, script: string[] = []): TokenProvider {
  scripts.set(path, script);
  return clientCredentials({
    tokenUrl: `${idp.origin}${path}`,
    clientId: 'c',
    clientSecret: SECRET,
  });
}
const uniquePath = () => `/token/${randomUUID()}`;

/** A memory store with some operations that never settle. */
function hungStore(hung: readonly ('get' | 'set' | 'delete')[]): TokenStore {
  const inner = memoryStore();
  return {
    get: hung.includes('get') ? () => never() : (key) => inner.get(key),
    set: hung.includes('set') ? () => never() : (key, token, ttl) => inner.set(key, token, ttl),
    delete: hung.includes('delete') ? () => never() : (key, token) => inner.delete(key, token),
  };
}

const FAST: TokenManagerOptions = { requestTimeoutMs: 300, maxAttempts: 1 };

describe('hangs: store and provider calls race the request deadline', () => {
  it.each([
    ['get', ['get']],
    ['set', ['set']],
    ['get and set', ['get', 'set']],
  ] as const)(
    'a store whose %s never settles degrades to in-process (store_error), within the deadline',
    async (_label, hung) => {
      const path = uniquePath();
      const log = eventLog();
      const auth = track(
        createTokenManager(provider(path), {
          ...FAST,
          origins: [API],
          store: hungStore(hung),
          onEvent: log.onEvent,
        }),
      );
      const token = await within(auth.getToken(), 3_000, 'getToken with a hung store');
      expect(token.tokenType).toBe('Bearer');
      expect(idp.count(path)).toBe(1);
      expect(log.events.some((e) => e.type === 'store_error')).toBe(true);
      assertNoSecrets([log.events, auth], [SECRET, token.accessToken]);
    },
  );

  it('a store whose delete never settles does not hang reauthorize()', async () => {
    const path = uniquePath();
    const auth = track(
      createTokenManager(provider(path), { ...FAST, origins: [API], store: hungStore(['delete']) }),
    );
    const first = await auth.getToken();
    const healed = await within(
      auth.reauthorize(`${API}/orders`, first),
      3_000,
      'reauthorize with a hung delete',
    );
    expect(healed?.token.accessToken).not.toBe(first.accessToken);
    expect(idp.count(path)).toBe(2);
  });

  it('a provider ignoring ctx.signal times out with TimeoutError, and the key’s other managers are not stuck', async () => {
    const key = `ignores-signal-${randomUUID()}`;
    const stuck: TokenProvider = { key, label: 'stuck', fetchToken: () => never<Token>() };
    const first = track(createTokenManager(stuck, { ...FAST, origins: [API] }));
    const second = track(createTokenManager(stuck, { ...FAST, origins: [API] }));
    const a = await rejectionOf(within(first.getToken(), 3_000, 'first getToken'));
    expect(a.error).toMatchObject({ code: 'timeout' });
    expect(a.ms).toBeLessThan(2_000);
    const b = await rejectionOf(within(second.getToken(), 3_000, 'second getToken'));
    expect(b.error).toMatchObject({ code: 'timeout' });
  });

  it('close() settles within its bound with a hung provider, a hung store and a hung revoke in flight', async () => {
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

describe('liveness: waits follow a monotonic clock, not wall time', () => {
  it('a wall-clock step back of 1 h after a 429 does not block for an hour', async () => {
    const path = uniquePath();
    const clock = steppableClock();
    const auth = track(
      createTokenManager(provider(path, ['429:20']), {
        origins: [API],
        clock,
        maxRetryAfterMs: 10,
      }),
    );
    const first = await rejectionOf(auth.getToken());
    expect((first.error as RateLimitedError).retryAfterMs).toBe(20_000);
    clock.shift(-3_600_000);
    const second = await rejectionOf(auth.getToken());
    expect(second.error).toBeInstanceOf(RateLimitedError);
    expect((second.error as RateLimitedError).retryAfterMs).toBeLessThanOrEqual(20_000);
    expect((second.error as Error).message).toMatch(/retry in (1\d|20) s/);
  });

  it('a wall-clock step back of 1 h inside the Norce token bucket does not block for an hour', async () => {
    const path = uniquePath();
    scripts.set(path, []);
    const clock = steppableClock();
    const auth = track(
      norce({
        clientId: 'c',
        clientSecret: SECRET,
        applicationId: 1,
        environment: 'stage',
        tokenUrl: `${idp.origin}${path}`,
        baseUrl: API,
        clock,
        maxRetryAfterMs: 30_000,
      }),
    );
    // Spend the burst: 20 + 3 forced refreshes.
    for (let i = 0; i < 23; i++) await auth.getToken({ forceRefresh: true });
    clock.shift(-3_600_000);
    const started = clock.now();
    await within(auth.getToken({ forceRefresh: true }), 5_000, 'forced refresh');
    // One refill interval (20 s) at most, measured on the clock the manager slept on.
    expect(Math.max(0, ...clock.sleeps)).toBeLessThanOrEqual(20_000);
    expect(clock.now() - started).toBeLessThanOrEqual(20_000);
  });

  it('the RateLimitedError of a blocked key names a readable label, never the encoded internal key', async () => {
    const path = uniquePath();
    const p = provider(path, ['429:30']);
    const auth = track(createTokenManager(p, { origins: [API], maxRetryAfterMs: 10 }));
    await rejectionOf(auth.getToken());
    const { error } = await rejectionOf(auth.getToken());
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(idp.count(path)).toBe(1);
    const message = (error as Error).message;
    expect(message).not.toContain(p.key);
    expect(message).not.toContain('%3A');
    expect(message).toContain(`${new URL(idp.origin).host}${path}`);
  });
});

describe('token churn: a redirect to a foreign origin answering 401', () => {
  it.each(CHURN_PENDING)('%s: 25 calls, 1 token request, nothing invalidated', (name) =>
    redirectToForeign401(name),
  );
});

describe('store entries and provider Tokens are validated like token responses', () => {
  const now = Date.now();
  it.each<[string, Partial<Token>]>([
    ['a CR/LF access token', { accessToken: 'abc\r\nX-Evil: 1' }],
    ["tokenType ''", { tokenType: '' }],
    ['expiresAt 1e15', { expiresAt: 1e15 }],
    ['tokenType mac', { tokenType: 'mac' }],
  ])('a store entry with %s is not adopted', async (_label, change) => {
    const path = uniquePath();
    const bad = {
      accessToken: 'stored',
      tokenType: 'Bearer',
      issuedAt: now,
      expiresAt: now + 3_600_000,
      ...change,
    };
    const store: TokenStore = {
      get: async () => bad as Token,
      set: async () => {},
      delete: async () => true,
    };
    const auth = track(createTokenManager(provider(path), { origins: [API], store }));
    const authorization = await auth.authorize(`${API}/x`);
    expect(authorization?.token.accessToken).toBe(idp.issued.at(-1));
    expect(authorization?.headers.Authorization).toMatch(/^Bearer [\x21-\x7e]+$/);
    expect(idp.count(path)).toBe(1);
  });

  it.each<[string, Record<string, unknown>]>([
    ['no issuedAt', { issuedAt: undefined }],
    ['NaN issuedAt', { issuedAt: Number.NaN }],
    ['NaN expiresAt', { expiresAt: Number.NaN }],
  ])('a provider Token with %s is refused, never handed out forever', async (_label, change) => {
    const clock = steppableClock();
    const returned = {
      accessToken: 'provided',
      tokenType: 'Bearer',
      issuedAt: clock.now(),
      expiresAt: clock.now() + 60_000,
      ...change,
    };
    const custom: TokenProvider = {
      key: `custom-${randomUUID()}`,
      label: 'custom',
      fetchToken: async () => returned as unknown as Token,
    };
    const auth = track(createTokenManager(custom, { origins: [API], clock, maxAttempts: 1 }));
    const outcomes: string[] = [];
    for (let lifetime = 0; lifetime < 10; lifetime++) {
      try {
        const token = await auth.getToken();
        outcomes.push(clock.now() < token.expiresAt ? 'valid' : 'expired');
      } catch (error) {
        outcomes.push((error as { code?: string }).code ?? 'untyped');
      }
      clock.shift(60_000);
    }
    expect(outcomes.filter((o) => o !== 'invalid_token_response' && o !== 'valid')).toEqual([]);
    expect(outcomes).toContain('invalid_token_response');
  });
});

describe('the fleet lock of a failed token request', () => {
  it('is released before the failure reaches the caller (a process exiting right after must not block the fleet)', async () => {
    const path = uniquePath();
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
    const auth = track(
      createTokenManager(provider(path, ['401']), { origins: [API], store, maxAttempts: 1 }),
    );
    const { error } = await rejectionOf(auth.getToken());
    expect(error).toMatchObject({ code: 'token_request_failed', status: 401 });
    expect(released).toBe(true);
  });
});

describe('options of every entry point are validated', () => {
  const p = () => provider(uniquePath());
  it.each<[string, unknown]>([
    ['options', null],
    ['store', 'x'],
    ['store', 5],
    ['store', { get: 1 }],
    ['clock', { now: 1 }],
    ['fetch', 'fetch'],
    ['onEvent', 'log'],
    ['revokeOnClose', 'yes'],
    ['maxAttempts', 1.5],
    ['requestTimeoutMs', 0],
    ['refreshWindowMS', 1_000],
  ])('createTokenManager refuses %s = %o with InvalidOptionsError', (option, value) => {
    const options = option === 'options' ? value : { origins: [API], [option]: value };
    expect(() => createTokenManager(p(), options as TokenManagerOptions)).toThrow(
      expect.objectContaining({ code: 'invalid_options', option }),
    );
  });

  it('authFetch(null) is an InvalidOptionsError', () => {
    expect(() => authFetch(null as unknown as TokenManager)).toThrow(
      expect.objectContaining({ code: 'invalid_options' }),
    );
  });

  it('norce and oracleCommerce refuse unknown option names with a did-you-mean', () => {
    const base = {
      clientId: 'c',
      clientSecret: SECRET,
      applicationId: 1,
      environment: 'stage' as const,
      clientName: 'acme',
      region: 'se',
    };
    expect(() => norce({ ...base, refreshWindowMS: 1 } as never)).toThrow(
      /did you mean refreshWindowMs/,
    );
    expect(() => norce({ ...base, clientSecrets: 'x' } as never)).toThrow(
      /did you mean clientSecret/,
    );
    expect(() =>
      oracleCommerce({
        baseUrl: 'https://x.example.com',
        applicationKey: 'k.e.y',
        apiKey: 1,
      } as never),
    ).toThrow(expect.objectContaining({ code: 'invalid_options', option: 'apiKey' }));
  });
});
