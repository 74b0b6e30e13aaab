// TTL: a token is kept for its ttl and gone after it, on the fixture's clock or on real time.
import type { SuiteApi } from './api.ts';
import {
  eventually,
  freshKey,
  makeToken,
  REAL_TTL_MS,
  type StoreFactory,
  withFixture,
} from './fixture.ts';

export function ttlGroup({ describe, it, expect }: SuiteApi, factory: StoreFactory): void {
  describe('ttl', () => {
    it(
      'keeps a token until its ttl ends, then answers undefined',
      withFixture(factory, async ({ store, advance }) => {
        const key = freshKey();
        const token = makeToken();
        if (advance) {
          await store.set(key, token, 60_000);
          await advance(59_000);
          expect(await store.get(key)).toEqual(token);
          await advance(2_000);
          expect(await store.get(key)).toBeUndefined();
        } else {
          await store.set(key, token, REAL_TTL_MS);
          expect(await store.get(key)).toEqual(token);
          await eventually(async () => (await store.get(key)) === undefined, 'the token expires');
        }
      }),
    );

    it(
      'gives each key its own ttl',
      withFixture(factory, async ({ store, advance }) => {
        const [short, long] = [freshKey('short'), freshKey('long')];
        const kept = makeToken();
        if (advance) {
          await store.set(short, makeToken(), 1_000);
          await store.set(long, kept, 60_000);
          await advance(1_001);
        } else {
          await store.set(short, makeToken(), REAL_TTL_MS);
          await store.set(long, kept, 60_000);
          await eventually(async () => (await store.get(short)) === undefined, 'the short expires');
        }
        expect(await store.get(short)).toBeUndefined();
        expect(await store.get(long)).toEqual(kept);
      }),
    );

    it(
      'never returns a token stored with no ttl left',
      withFixture(factory, async ({ store }) => {
        const key = freshKey();
        const zero = makeToken();
        const negative = makeToken();
        await store.set(key, zero, 0);
        expect(await store.get(key)).not.toEqual(zero);
        await store.set(key, negative, -5);
        expect(await store.get(key)).not.toEqual(negative);
      }),
    );
  });
}
