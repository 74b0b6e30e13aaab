import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenManager, memoryStore, type TokenStore } from '../src/index.ts';
import { fakeProvider } from './fake-provider.ts';

// Node 20 prints MaxListenersExceededWarning when an AbortSignal gets more than 10 'abort'
// listeners; Node 22+ no longer warns for AbortSignal, but the listeners still cost memory and
// time. A herd of callers must not add a listener each to one shared signal. Here, as on Node 20,
// an 11th listener on one signal emits that warning, and the test fails on any warning.
const ABORT_LISTENERS_WARNED_AT = 11;
const warnings: string[] = [];
const onWarning = (warning: Error): void => {
  warnings.push(`${warning.name}: ${warning.message}`);
};
const listeners = new WeakMap<EventTarget, number>();
const add = AbortSignal.prototype.addEventListener;
const remove = AbortSignal.prototype.removeEventListener;
beforeEach(() => {
  warnings.length = 0;
  process.on('warning', onWarning);
  AbortSignal.prototype.addEventListener = function (
    this: AbortSignal,
    ...args: Parameters<typeof add>
  ) {
    if (args[0] === 'abort') {
      const n = (listeners.get(this) ?? 0) + 1;
      listeners.set(this, n);
      if (n === ABORT_LISTENERS_WARNED_AT) {
        process.emitWarning(
          `${n} abort listeners added to [AbortSignal]`,
          'MaxListenersExceededWarning',
        );
      }
    }
    return add.apply(this, args);
  } as typeof add;
  AbortSignal.prototype.removeEventListener = function (
    this: AbortSignal,
    ...args: Parameters<typeof remove>
  ) {
    if (args[0] === 'abort') listeners.set(this, Math.max(0, (listeners.get(this) ?? 0) - 1));
    return remove.apply(this, args);
  } as typeof remove;
});
afterEach(() => {
  process.off('warning', onWarning);
  AbortSignal.prototype.addEventListener = add;
  AbortSignal.prototype.removeEventListener = remove;
});

/** A memory store whose delete() waits until `open()`, so every caller's delete is pending at once. */
function storeWithHeldDeletes(): { store: TokenStore; open: () => void; pending: () => number } {
  const inner = memoryStore();
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let pending = 0;
  const store: TokenStore = {
    get: (key) => inner.get(key),
    set: (key, token, ttlMs) => inner.set(key, token, ttlMs),
    async delete(key, token) {
      pending += 1;
      await gate;
      return inner.delete(key, token);
    },
  };
  return { store, open, pending: () => pending };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('a herd of callers adds one abort listener, not one each', () => {
  it('200 concurrent 401 heals with a slow store: one refresh, no MaxListenersExceededWarning', async () => {
    const provider = fakeProvider();
    const held = storeWithHeldDeletes();
    const auth = createTokenManager(provider, { store: held.store });
    try {
      const token = await auth.getToken();
      expect(token.accessToken).toBe('token-1');
      const healing = Array.from({ length: 200 }, () =>
        auth.reauthorize('https://api.example.com/orders', token),
      );
      await settle();
      expect(held.pending()).toBeGreaterThan(10);
      held.open();
      const healed = await Promise.all(healing);
      expect(new Set(healed.map((a) => a?.token.accessToken))).toEqual(new Set(['token-2']));
      expect(provider.calls).toHaveLength(2);
      await settle();
      expect(warnings).toEqual([]);
    } finally {
      await auth.close();
    }
  });

  it('close() during 200 pending store calls still ends every one of them', async () => {
    const provider = fakeProvider();
    const held = storeWithHeldDeletes();
    const auth = createTokenManager(provider, { store: held.store });
    const token = await auth.getToken();
    const healing = Array.from({ length: 200 }, () =>
      auth.reauthorize('https://api.example.com/orders', token).then(
        () => 'healed',
        (error: { code?: string }) => error.code,
      ),
    );
    await settle();
    expect(held.pending()).toBeGreaterThan(10);
    await auth.close();
    const outcomes = await Promise.all(healing);
    expect(new Set(outcomes)).toEqual(new Set(['closed']));
    held.open();
    await settle();
    expect(warnings).toEqual([]);
  });
});
