// get and set: a missing key, round trips, overwrites, keys kept apart, another handle's view.
import type { SuiteApi } from './api.ts';
import { freshKey, makeToken, type StoreFactory, withFixture } from './fixture.ts';

const LONG = 60_000;

export function getSetGroup({ describe, it, expect }: SuiteApi, factory: StoreFactory): void {
  describe('get and set', () => {
    it(
      'answers undefined for a missing key',
      withFixture(factory, async ({ store }) => {
        expect(await store.get(freshKey())).toBeUndefined();
      }),
    );

    it(
      'round-trips a token',
      withFixture(factory, async ({ store }) => {
        const key = freshKey();
        const token = makeToken();
        await store.set(key, token, LONG);
        expect(await store.get(key)).toEqual(token);
      }),
    );

    it(
      'round-trips a token without the optional scope',
      withFixture(factory, async ({ store }) => {
        const key = freshKey();
        const { scope: _scope, ...token } = makeToken();
        await store.set(key, token, LONG);
        expect(await store.get(key)).toEqual(token);
      }),
    );

    it(
      'shows a token to another handle on the same data',
      withFixture(factory, async ({ store, peer }) => {
        const key = freshKey();
        const token = makeToken();
        await store.set(key, token, LONG);
        expect(await peer.get(key)).toEqual(token);
      }),
    );

    it(
      'overwrites an older token',
      withFixture(factory, async ({ store, peer }) => {
        const key = freshKey();
        await store.set(key, makeToken(), LONG);
        const newer = makeToken();
        await peer.set(key, newer, LONG);
        expect(await store.get(key)).toEqual(newer);
      }),
    );

    it(
      'keeps keys apart',
      withFixture(factory, async ({ store }) => {
        const [a, b] = [freshKey('a'), freshKey('b')];
        const [ta, tb] = [makeToken(), makeToken()];
        await Promise.all([store.set(a, ta, LONG), store.set(b, tb, LONG)]);
        expect(await store.get(a)).toEqual(ta);
        expect(await store.get(b)).toEqual(tb);
        expect(await store.delete(a, ta)).toBe(true);
        expect(await store.get(b)).toEqual(tb);
      }),
    );
  });
}
