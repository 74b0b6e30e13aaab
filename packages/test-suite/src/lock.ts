// lock(key, ttl): exactly one holder, released by its holder only, expiring by itself after ttl.
import type { TokenStore } from '@authwire/core';
import type { StoreLock } from '@authwire/core/kit';
import type { SuiteApi } from './api.ts';
import {
  eventually,
  freshKey,
  makeToken,
  REAL_TTL_MS,
  type StoreFactory,
  withFixture,
} from './fixture.ts';

const HOLD = 10_000;
const CALLERS = 300;

function lockOf(store: TokenStore): NonNullable<TokenStore['lock']> {
  if (!store.lock) throw new TypeError('the store has no lock(): pass { lock: false }');
  return store.lock.bind(store);
}

export function lockGroup({ describe, it, expect }: SuiteApi, factory: StoreFactory): void {
  describe('lock', () => {
    it(
      `gives the lock to exactly one of ${CALLERS} concurrent callers on two handles`,
      withFixture(factory, async ({ store, peer }) => {
        const key = freshKey();
        const locks = [lockOf(store), lockOf(peer)];
        const attempts = Array.from({ length: CALLERS }, (_, i) => locks[i % 2]!(key, HOLD));
        const held = (await Promise.all(attempts)).filter((lock) => lock !== undefined);
        expect(held).toHaveLength(1);
        await held[0]!.release();
      }),
    );

    it(
      'lets the next caller take the lock after release, and release twice is harmless',
      withFixture(factory, async ({ store, peer }) => {
        const key = freshKey();
        const first = await lockOf(store)(key, HOLD);
        expect(first).toBeDefined();
        expect(await lockOf(peer)(key, HOLD)).toBeUndefined();
        await first!.release();
        await first!.release();
        const second = await lockOf(peer)(key, HOLD);
        expect(second).toBeDefined();
        await second!.release();
      }),
    );

    it(
      'expires a lock after its ttl so another caller can take over',
      withFixture(factory, async ({ store, peer, advance }) => {
        const key = freshKey();
        if (advance) {
          expect(await lockOf(store)(key, 1_000)).toBeDefined();
          await advance(999);
          expect(await lockOf(peer)(key, HOLD)).toBeUndefined();
          await advance(2);
          const taken = await lockOf(peer)(key, HOLD);
          expect(taken).toBeDefined();
          await taken!.release();
        } else {
          expect(await lockOf(store)(key, REAL_TTL_MS)).toBeDefined();
          expect(await lockOf(peer)(key, HOLD)).toBeUndefined();
          let taken: StoreLock | undefined;
          await eventually(async () => {
            taken = await lockOf(peer)(key, HOLD);
            return taken !== undefined;
          }, 'the crashed holder’s lock expires');
          await taken!.release();
        }
      }),
    );

    it(
      'does not release a lock someone else holds now',
      withFixture(factory, async ({ store, peer, advance }) => {
        const key = freshKey();
        const stale = await lockOf(store)(key, advance ? 1_000 : REAL_TTL_MS);
        expect(stale).toBeDefined();
        let current: StoreLock | undefined;
        const take = async () => {
          current = await lockOf(peer)(key, HOLD);
          return current !== undefined;
        };
        if (advance) {
          await advance(1_001);
          expect(await take()).toBe(true);
        } else {
          await eventually(take, 'the stale lock expires');
        }
        await stale!.release(); // the old holder wakes up late
        expect(await lockOf(store)(key, HOLD)).toBeUndefined();
        await current!.release();
        const next = await lockOf(store)(key, HOLD);
        expect(next).toBeDefined();
        await next!.release();
      }),
    );

    it(
      'keeps the lock apart from the token, and keys apart from each other',
      withFixture(factory, async ({ store }) => {
        const [key, other] = [freshKey(), freshKey('other')];
        const token = makeToken();
        await store.set(key, token, 60_000);
        const lock = await lockOf(store)(key, HOLD);
        expect(lock).toBeDefined();
        expect(await store.get(key)).toEqual(token);
        const otherLock = await lockOf(store)(other, HOLD);
        expect(otherLock).toBeDefined();
        await Promise.all([lock!.release(), otherLock!.release()]);
        expect(await store.get(key)).toEqual(token);
      }),
    );
  });
}
