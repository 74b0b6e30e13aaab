// redisStore over each client kind: the shared TokenStore suite (@authwire/test-suite), then what only
// Redis has (PX ttls, opaque keys, corrupt values, encryption), run by redis-store.test.ts.
import { createHash, randomBytes } from 'node:crypto';
import type { TokenStore } from '@authwire/core';
import { tokenStoreSuite } from '@authwire/test-suite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisStoreOptions, redisStore } from '../src/index.ts';
import {
  type ClientFactory,
  deleteKeys,
  requireRedisUrl,
  skipRedis,
  type TestClient,
  uniquePrefix,
} from './redis-env.ts';
import { cacheKey, makeToken } from './tokens.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function describeRedisStore(factory: ClientFactory): void {
  describe.skipIf(skipRedis)(`redisStore with ${factory.name}`, () => {
    const prefix = uniquePrefix();
    // Two independent connections: the "two processes" of the cross-client tests.
    let a: TestClient;
    let b: TestClient;

    beforeAll(async () => {
      const url = requireRedisUrl();
      [a, b] = await Promise.all([factory.connect(url), factory.connect(url)]);
    });
    afterAll(async () => {
      if (a) await deleteKeys(a, prefix);
      await Promise.all([a?.close(), b?.close()]);
    });

    const storeA = (options: Partial<RedisStoreOptions> = {}): TokenStore =>
      redisStore({ client: a.client, prefix, ...options });
    const storeB = (options: Partial<RedisStoreOptions> = {}): TokenStore =>
      redisStore({ client: b.client, prefix, ...options });
    const tokenKey = (key: string) => `${prefix}token:${sha256(key)}`;
    const lockKey = (key: string) => `${prefix}lock:${sha256(key)}`;
    const raw = async (redisKey: string) => (await a.command(['GET', redisKey])) as string | null;

    // Two connections: `peer` is the other process. Every store shares this run's prefix.
    tokenStoreSuite({ describe, it, expect }, () => ({ store: storeA(), peer: storeB() }));
    const sharedKey = randomBytes(32);
    tokenStoreSuite(
      { describe, it, expect },
      () => ({
        store: storeA({ encryptionKey: sharedKey }),
        peer: storeB({ encryptionKey: sharedKey.toString('base64') }),
      }),
      { name: 'TokenStore conformance, encrypted' },
    );

    describe('get and set', () => {
      it('does round-trip a token with a PX ttl', async () => {
        const store = storeA();
        const key = cacheKey();
        const token = makeToken();
        await store.set(key, token, 60_000);
        expect(await store.get(key)).toEqual(token);
        const pttl = Number(await a.command(['PTTL', tokenKey(key)]));
        expect(pttl).toBeGreaterThan(55_000);
        expect(pttl).toBeLessThanOrEqual(60_000);
      });

      it('does round-trip a token without scope, and drops unknown fields', async () => {
        const store = storeA();
        const key = cacheKey();
        const { scope: _scope, ...token } = makeToken();
        await store.set(key, { ...token, extra: 'not stored' } as typeof token, 60_000);
        const read = await store.get(key);
        expect(read).toEqual(token);
        expect(read).not.toHaveProperty('scope');
        expect(await raw(tokenKey(key))).not.toContain('not stored');
      });

      it('does keep keys short and opaque: prefix, kind, SHA-256 of the cache key', async () => {
        const key = cacheKey('tenant-a');
        await storeA().set(key, makeToken(), 60_000);
        const keys = (await a.command(['KEYS', `${prefix}*tenant-a*`])) as string[];
        expect(keys).toEqual([]);
        expect(await a.command(['EXISTS', tokenKey(key)])).toBe(1);
      });

      it('does let a token expire by its ttl', async () => {
        const store = storeA();
        const key = cacheKey();
        await store.set(key, makeToken(), 150);
        await expect.poll(() => store.get(key), { timeout: 3_000, interval: 25 }).toBeUndefined();
        expect(await a.command(['EXISTS', tokenKey(key)])).toBe(0);
      });

      it('does not write a token with no ttl left', async () => {
        const store = storeA();
        const key = cacheKey();
        const current = makeToken();
        await store.set(key, current, 60_000);
        await store.set(key, makeToken(), 0);
        await store.set(key, makeToken(), -5);
        expect(await store.get(key)).toEqual(current);
      });

      it('does reject a ttl that is not a finite number', async () => {
        await expect(storeA().set(cacheKey(), makeToken(), Number.NaN)).rejects.toThrow(RangeError);
        await expect(storeA().set(cacheKey(), makeToken(), Infinity)).rejects.toThrow(RangeError);
      });
    });

    describe('corrupt values', () => {
      const corrupt: Record<string, (fp: string) => string> = {
        'not JSON': () => '{not json',
        'JSON of another shape': () => JSON.stringify({ hello: 'world' }),
        'another envelope version': (fp) => JSON.stringify({ v: 2, fp, token: makeToken() }),
        'a token missing fields': (fp) =>
          JSON.stringify({ v: 1, fp, token: { accessToken: 'x', tokenType: 'Bearer' } }),
        'a fingerprint that does not match the token': () =>
          JSON.stringify({ v: 1, fp: sha256('other'), token: makeToken() }),
        'an encrypted envelope with no key configured': (fp) =>
          JSON.stringify({ v: 1, fp, iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAA' }),
      };
      for (const [name, value] of Object.entries(corrupt)) {
        it(`does treat ${name} as missing and delete it`, async () => {
          const key = cacheKey();
          await a.command(['SET', tokenKey(key), value(sha256('x')), 'PX', '60000']);
          expect(await storeA().get(key)).toBeUndefined();
          expect(await a.command(['EXISTS', tokenKey(key)])).toBe(0);
        });
      }
    });

    describe('lock', () => {
      it('does give the lock to exactly one of hundreds of callers on two clients', async () => {
        const key = cacheKey();
        const stores = [storeA(), storeB()];
        const attempts = Array.from({ length: 300 }, (_, i) => stores[i % 2]!.lock!(key, 10_000));
        const locks = (await Promise.all(attempts)).filter((lock) => lock !== undefined);
        expect(locks).toHaveLength(1);
        const pttl = Number(await a.command(['PTTL', lockKey(key)]));
        expect(pttl).toBeGreaterThan(5_000);
        await locks[0]!.release();
        expect(await a.command(['EXISTS', lockKey(key)])).toBe(0);
      });

      it('does not release a lock someone else holds now', async () => {
        const key = cacheKey();
        const stale = await storeA().lock!(key, 150);
        expect(stale).toBeDefined();
        const taker = storeB();
        let current: Awaited<ReturnType<NonNullable<TokenStore['lock']>>>;
        await expect
          .poll(
            async () => {
              current = await taker.lock!(key, 10_000);
              return current;
            },
            { timeout: 3_000, interval: 25 },
          )
          .toBeDefined();
        const held = await raw(lockKey(key));
        await stale!.release(); // the old holder wakes up late
        expect(await raw(lockKey(key))).toBe(held);
        expect(await storeA().lock!(key, 10_000)).toBeUndefined();
        await current!.release();
        expect(await a.command(['EXISTS', lockKey(key)])).toBe(0);
      });
    });

    describe('encryption', () => {
      const keyBytes = randomBytes(32);
      const encryptionKeys = {
        'a Uint8Array': () => new Uint8Array(keyBytes),
        'a base64 string': () => keyBytes.toString('base64'),
        'a CryptoKey': () =>
          crypto.subtle.importKey('raw', keyBytes, 'AES-GCM', false, ['encrypt', 'decrypt']),
      };

      for (const [name, makeKey] of Object.entries(encryptionKeys)) {
        it(`does round-trip with ${name} and store no token in clear`, async () => {
          const key = cacheKey();
          const token = makeToken();
          const store = storeA({ encryptionKey: await makeKey() });
          await store.set(key, token, 60_000);
          const stored = await raw(tokenKey(key));
          expect(stored).not.toBeNull();
          expect(stored).not.toContain(token.accessToken);
          expect(stored).not.toContain('read write');
          expect(JSON.parse(stored!)).toEqual({
            v: 1,
            fp: sha256(token.accessToken),
            iv: expect.any(String),
            ct: expect.any(String),
          });
          expect(await store.get(key)).toEqual(token);
        });
      }

      it('does use a new IV for every write', async () => {
        const key = cacheKey();
        const token = makeToken();
        const store = storeA({ encryptionKey: keyBytes.toString('base64') });
        await store.set(key, token, 60_000);
        const first = JSON.parse((await raw(tokenKey(key)))!);
        await store.set(key, token, 60_000);
        const second = JSON.parse((await raw(tokenKey(key)))!);
        expect(second.iv).not.toBe(first.iv);
        expect(second.ct).not.toBe(first.ct);
      });

      it('does share tokens between clients with the same key, and compare-and-delete', async () => {
        const key = cacheKey();
        const here = storeA({ encryptionKey: new Uint8Array(keyBytes) });
        const there = storeB({ encryptionKey: keyBytes.toString('base64') });
        const older = makeToken();
        const newer = makeToken();
        await here.set(key, older, 60_000);
        await there.set(key, newer, 60_000);
        expect(await here.get(key)).toEqual(newer);
        expect(await here.delete(key, older)).toBe(false);
        expect(await here.delete(key, newer)).toBe(true);
        expect(await there.get(key)).toBeUndefined();
      });

      it('does treat an entry under another key as missing, and remove it', async () => {
        const key = cacheKey();
        await storeA({ encryptionKey: randomBytes(32) }).set(key, makeToken(), 60_000);
        expect(await storeB({ encryptionKey: randomBytes(32) }).get(key)).toBeUndefined();
        expect(await a.command(['EXISTS', tokenKey(key)])).toBe(0);
      });

      it('does not accept a clear entry when encryption is on', async () => {
        const key = cacheKey();
        await storeA().set(key, makeToken(), 60_000);
        expect(await storeA({ encryptionKey: keyBytes }).get(key)).toBeUndefined();
      });

      it('does reject a tampered ciphertext or an entry moved to another key', async () => {
        const store = storeA({ encryptionKey: keyBytes });
        const key = cacheKey();
        await store.set(key, makeToken(), 60_000);
        const envelope = JSON.parse((await raw(tokenKey(key)))!);
        const ct = Buffer.from(envelope.ct, 'base64');
        ct[0] = ct[0]! ^ 1;
        const tampered = JSON.stringify({ ...envelope, ct: ct.toString('base64') });
        await a.command(['SET', tokenKey(key), tampered, 'PX', '60000']);
        expect(await store.get(key)).toBeUndefined();

        const source = cacheKey();
        await store.set(source, makeToken(), 60_000);
        const moved = cacheKey();
        await a.command(['SET', tokenKey(moved), (await raw(tokenKey(source)))!, 'PX', '60000']);
        expect(await store.get(moved)).toBeUndefined();
        expect(await store.get(source)).toBeDefined();
      });
    });
  });
}
