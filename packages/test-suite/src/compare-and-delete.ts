// delete(key, token) removes the entry only while it still holds that token (a stale 401 keeps a newer one).
import type { SuiteApi } from './api.ts';
import { freshKey, makeToken, type StoreFactory, withFixture } from './fixture.ts';

const LONG = 60_000;

export function compareAndDeleteGroup(
  { describe, it, expect }: SuiteApi,
  factory: StoreFactory,
): void {
  describe('delete (compare-and-delete)', () => {
    it(
      'deletes the token it holds and answers true, then false',
      withFixture(factory, async ({ store }) => {
        const key = freshKey();
        const token = makeToken();
        await store.set(key, token, LONG);
        expect(await store.delete(key, token)).toBe(true);
        expect(await store.get(key)).toBeUndefined();
        expect(await store.delete(key, token)).toBe(false);
      }),
    );

    it(
      'keeps a newer token when asked to delete an older one',
      withFixture(factory, async ({ store }) => {
        const key = freshKey();
        const older = makeToken();
        const newer = makeToken();
        await store.set(key, older, LONG);
        await store.set(key, newer, LONG);
        expect(await store.delete(key, older)).toBe(false);
        expect(await store.get(key)).toEqual(newer);
      }),
    );

    it(
      'compares by access token, not by object identity',
      withFixture(factory, async ({ store }) => {
        const key = freshKey();
        const token = makeToken();
        await store.set(key, token, LONG);
        expect(await store.delete(key, { ...token })).toBe(true);
        expect(await store.get(key)).toBeUndefined();
      }),
    );

    it(
      'answers false for a missing key',
      withFixture(factory, async ({ store }) => {
        expect(await store.delete(freshKey(), makeToken())).toBe(false);
      }),
    );

    it(
      'keeps the token another handle stored after a stale 401 here',
      withFixture(factory, async ({ store, peer }) => {
        const key = freshKey();
        const rejected = makeToken();
        await store.set(key, rejected, LONG);
        // The other process saw the 401 first and already stored a fresh token.
        const fresh = makeToken();
        await peer.set(key, fresh, LONG);
        expect(await store.delete(key, rejected)).toBe(false);
        expect(await store.get(key)).toEqual(fresh);
        // ...and a 401 for the fresh token, seen here, removes it for both.
        expect(await store.delete(key, fresh)).toBe(true);
        expect(await peer.get(key)).toBeUndefined();
      }),
    );
  });
}
