import { describe, expect, it, vi } from 'vitest';
import {
  createTokenManager,
  memoryStore,
  type Token,
  type TokenEvent,
  type TokenStore,
} from '../src/index.ts';
import { fakeProvider } from './fake-provider.ts';
import { managersOnFakeTime } from './fake-time.ts';

/**
 * One backend seen through several store objects: each object stands for a process
 * (the manager keeps per-process state per store object), the backend for Redis.
 */
function sharedBackend() {
  const tokens = new Map<string, Token>();
  const locks = new Map<string, { id: number; until: number }>();
  let ids = 0;
  const stats = { locksGranted: 0 };
  const storeFor = (): TokenStore => ({
    async get(key) {
      return tokens.get(key);
    },
    async set(key, token) {
      tokens.set(key, token);
    },
    async delete(key, token) {
      if (tokens.get(key)?.accessToken !== token.accessToken) return false;
      tokens.delete(key);
      return true;
    },
    async lock(key, ttlMs) {
      const held = locks.get(key);
      if (held && held.until > Date.now()) return undefined;
      const id = ++ids;
      locks.set(key, { id, until: Date.now() + ttlMs });
      stats.locksGranted += 1;
      return {
        async release() {
          if (locks.get(key)?.id === id) locks.delete(key);
        },
      };
    },
  });
  return { storeFor, tokens, locks, stats };
}

const managers = managersOnFakeTime();

describe('cross-process single-flight through a store lock', () => {
  it('8 processes × 50 concurrent callers make one token request in total', async () => {
    const backend = sharedBackend();
    const provider = fakeProvider({ delayMs: 200 });
    const processes = Array.from({ length: 8 }, () => {
      const m = createTokenManager(provider, { store: backend.storeFor() });
      managers.push(m);
      return m;
    });
    const all = Promise.all(
      processes.flatMap((m) => Array.from({ length: 50 }, () => m.getToken())),
    );
    await vi.advanceTimersByTimeAsync(2_000);
    const tokens = await all;
    expect(provider.calls).toHaveLength(1);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
    expect(backend.locks.size).toBe(0);
  });

  it('takes over when the lock holder died mid-fetch, after the lock TTL', async () => {
    const backend = sharedBackend();
    const provider = fakeProvider();
    backend.locks.set(provider.key, { id: -1, until: Date.now() + 5_000 }); // a crashed holder
    const events: TokenEvent[] = [];
    const m = createTokenManager(provider, {
      store: backend.storeFor(),
      lockTtlMs: 5_000,
      onEvent: (e) => events.push(e),
    });
    managers.push(m);
    const pending = m.getToken();
    await vi.advanceTimersByTimeAsync(4_900);
    expect(provider.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await pending).accessToken).toBe('token-1');
    expect(provider.calls).toHaveLength(1);
  });

  it('a waiting process picks up the token another process stored', async () => {
    const backend = sharedBackend();
    const provider = fakeProvider({ delayMs: 1_000 });
    const events: TokenEvent[] = [];
    const a = createTokenManager(provider, { store: backend.storeFor() });
    const b = createTokenManager(provider, {
      store: backend.storeFor(),
      onEvent: (e) => events.push(e),
    });
    managers.push(a, b);
    const first = a.getToken();
    await vi.advanceTimersByTimeAsync(10);
    const second = b.getToken();
    await vi.advanceTimersByTimeAsync(1_500);
    expect(await second).toEqual(await first);
    expect(provider.calls).toHaveLength(1);
    expect(events.some((e) => e.type === 'lock_wait')).toBe(true);
  });

  it('a stale 401 in one process does not remove the newer token another stored', async () => {
    const backend = sharedBackend();
    const provider = fakeProvider();
    const a = createTokenManager(provider, { store: backend.storeFor() });
    const b = createTokenManager(provider, { store: backend.storeFor() });
    managers.push(a, b);
    const t1 = await a.getToken();
    const t2 = await b.getToken({ forceRefresh: true });
    await a.invalidate(t1);
    expect(backend.tokens.get(provider.key)).toEqual(t2);
    // a's own cached copy was t1; after its 401 it adopts the stored t2 without fetching.
    const healed = await a.reauthorize('https://api.example.com/x', t1);
    expect(healed?.token).toEqual(t2);
    expect(provider.calls).toHaveLength(2);
  });
});

describe('a store with a lock', () => {
  it('is polled by the manager itself: a store brings only lock()', async () => {
    const backend = sharedBackend();
    const key = `lock-only-${Math.random()}`;
    const a = createTokenManager(fakeProvider({ key, delayMs: 100 }), {
      store: backend.storeFor(),
    });
    const b = createTokenManager(fakeProvider({ key, delayMs: 100 }), {
      store: backend.storeFor(),
    });
    managers.push(a, b);
    const both = Promise.all([a.getToken(), b.getToken()]);
    await vi.advanceTimersByTimeAsync(1_000);
    const [ta, tb] = await both;
    expect(ta.accessToken).toBe(tb.accessToken);
    expect(backend.stats.locksGranted).toBe(1);
  });
});

describe('a failing store', () => {
  const broken: TokenStore = {
    get: () => Promise.reject(new Error('store down')),
    set: () => Promise.reject(new Error('store down')),
    delete: () => Promise.reject(new Error('store down')),
    lock: () => Promise.reject(new Error('store down')),
  };

  it('falls back to the in-process cache and single-flight, reporting store_error', async () => {
    const provider = fakeProvider({ delayMs: 50 });
    const events: TokenEvent[] = [];
    const m = createTokenManager(provider, { store: broken, onEvent: (e) => events.push(e) });
    managers.push(m);
    const all = Promise.all(Array.from({ length: 100 }, () => m.getToken()));
    await vi.advanceTimersByTimeAsync(50);
    const tokens = await all;
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(provider.calls).toHaveLength(1);
    expect(await m.getToken()).toBe(tokens[0]);
    await m.invalidate(tokens[0]!);
    const ops = events.flatMap((e) => (e.type === 'store_error' ? [e.operation] : []));
    expect(ops).toEqual(expect.arrayContaining(['get', 'lock', 'set', 'delete']));
  });

  it('memoryStore deletes only the token it was asked to', async () => {
    const store = memoryStore();
    const t = (accessToken: string): Token => ({
      accessToken,
      tokenType: 'Bearer',
      issuedAt: 0,
      expiresAt: Date.now() + 1000,
    });
    await store.set('k', t('new'), 1000);
    expect(await store.delete('k', t('old'))).toBe(false);
    expect((await store.get('k'))?.accessToken).toBe('new');
    expect(await store.delete('k', t('new'))).toBe(true);
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', t('short'), 10);
    await vi.advanceTimersByTimeAsync(11);
    expect(await store.get('k')).toBeUndefined();
  });
});

describe('a slow store and a 401', () => {
  it('never hands the rejected token back, even when a load in flight read it first', async () => {
    const backend = sharedBackend();
    const slow = backend.storeFor();
    const store: TokenStore = {
      ...slow,
      get: async (key) => {
        const value = await slow.get(key);
        await new Promise((resolve) => setTimeout(resolve, 30));
        return value;
      },
      // The compare-and-delete reaches the store late (a network round trip).
      delete: async (key, token) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return slow.delete(key, token);
      },
    };
    const provider = fakeProvider();
    const m = createTokenManager(provider, { store });
    managers.push(m);
    const t1 = await (async () => {
      const p = m.getToken();
      await vi.advanceTimersByTimeAsync(100);
      return p;
    })();
    // A 401 for t1 is being healed while another caller arrives and reads the store first.
    const healing = m.reauthorize('https://api.example.com/x', t1);
    const bystander = m.getToken({ forceRefresh: false });
    await vi.advanceTimersByTimeAsync(500);
    const healed = await healing;
    expect(healed?.token.accessToken).not.toBe(t1.accessToken);
    expect((await bystander).accessToken).not.toBe(t1.accessToken);
  });
});

describe('memoryStore TTLs', () => {
  const token = (expiresAt: number): Token => ({
    accessToken: `tok-${expiresAt}`,
    tokenType: 'Bearer',
    issuedAt: 0,
    expiresAt,
  });
  function store() {
    let now = 1_000;
    return { clock: { now: () => now }, at: (t: number) => (now = t) };
  }

  it('keeps a token for a TTL shorter than its lifetime, and no longer', async () => {
    const { clock, at } = store();
    const s = memoryStore({ clock });
    await s.set('k', token(2_000), 100);
    at(1_099);
    expect(await s.get('k')).toMatchObject({ expiresAt: 2_000 });
    at(1_100);
    expect(await s.get('k')).toBeUndefined();
  });

  it('keeps a token asked for its lifetime or longer until it expires', async () => {
    const { clock, at } = store();
    const s = memoryStore({ clock });
    await s.set('k', token(1_500), 500);
    await s.set('l', token(1_500), 10_000);
    at(1_499);
    expect(await s.get('k')).toMatchObject({ expiresAt: 1_500 });
    expect(await s.get('l')).toMatchObject({ expiresAt: 1_500 });
    at(1_500);
    expect(await s.get('k')).toBeUndefined();
    expect(await s.get('l')).toBeUndefined();
  });

  it('on another clock than the token was timed with, keeps the TTL it was given', async () => {
    const { clock, at } = store();
    const s = memoryStore({ clock });
    // Timed on a fake clock far behind this store's: already "expired" here, yet asked for 1 s.
    await s.set('k', token(10), 1_000);
    at(1_999);
    expect(await s.get('k')).toMatchObject({ expiresAt: 10 });
    at(2_000);
    expect(await s.get('k')).toBeUndefined();
    // Deleting needs the same access token, in both forms it is kept in.
    await s.set('k', token(5_000), 100);
    expect(await s.delete('k', token(4_000))).toBe(false);
    expect(await s.delete('k', token(5_000))).toBe(true);
    await s.set('k', token(2_500), 1_000);
    expect(await s.delete('k', token(2_500))).toBe(true);
    expect(await s.get('k')).toBeUndefined();
  });
});
