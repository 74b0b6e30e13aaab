import { clientCredentials, createTokenManager, memoryStore } from '@authwire/core';
import { describe, expect, it } from 'vitest';
import { manualClock, NORCE_MOCK_DEFAULTS, norceMock } from '../src/index.ts';
import { useMsw } from './support.ts';

/** Lets settled promises run their callbacks. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Whether `promise` has settled yet, after the pending callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await tick();
  return done;
}

describe('manualClock time', () => {
  it('starts at 2026-01-01 or the given time and moves only when told', async () => {
    expect(manualClock().now()).toBe(Date.UTC(2026, 0, 1));
    const clock = manualClock(1_000);
    await tick();
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    clock.set(5_000);
    expect(clock.now()).toBe(5_000);
    clock.set(10);
    expect(clock.now()).toBe(10);
  });

  it('works with its members detached, as a mock takes `now`', () => {
    const { now, advance, set } = manualClock(0);
    advance(5);
    expect(now()).toBe(5);
    set(7);
    expect(now()).toBe(7);
  });

  it('returns a fixed random, so jitter is the same on every run', () => {
    const clock = manualClock();
    expect([clock.random(), clock.random()]).toEqual([0.5, 0.5]);
  });
});

describe('manualClock sleep', () => {
  it('resolves once the clock is moved to the deadline, not before', async () => {
    const clock = manualClock(0);
    const sleep = clock.sleep(1_000);
    expect(await settled(sleep)).toBe(false);
    clock.advance(999);
    expect(await settled(sleep)).toBe(false);
    clock.advance(1);
    expect(await settled(sleep)).toBe(true);
  });

  it('keeps the deadline when set() moves time back, and wakes on set() to it', async () => {
    const clock = manualClock(1_000);
    const sleep = clock.sleep(500);
    clock.set(0);
    clock.advance(1_499);
    expect(await settled(sleep)).toBe(false);
    clock.set(1_500);
    expect(await settled(sleep)).toBe(true);
  });

  it('waits for the next move on a sleep of 0 or less', async () => {
    const clock = manualClock(0);
    const zero = clock.sleep(0);
    const negative = clock.sleep(-5);
    expect(await settled(zero)).toBe(false);
    expect(await settled(negative)).toBe(false);
    clock.advance(0);
    expect([await settled(zero), await settled(negative)]).toEqual([true, true]);
  });

  it('wakes every sleep due on one advance, earliest first, ties in call order', async () => {
    const clock = manualClock(0);
    const order: string[] = [];
    const sleeps = [
      clock.sleep(300).then(() => order.push('300')),
      clock.sleep(100).then(() => order.push('100 a')),
      clock.sleep(200).then(() => order.push('200')),
      clock.sleep(100).then(() => order.push('100 b')),
      clock.sleep(5_000).then(() => order.push('5000')),
    ];
    clock.advance(1_000);
    await Promise.all(sleeps.slice(0, 4));
    expect(order).toEqual(['100 a', '100 b', '200', '300']);
    expect(await settled(sleeps[4]!)).toBe(false);
  });

  it('rejects with the reason at once when the signal has already aborted', async () => {
    const clock = manualClock(0);
    const reason = new Error('gone');
    await expect(clock.sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('rejects with the reason when the signal aborts during the sleep, and forgets the sleep', async () => {
    const clock = manualClock(0);
    const controller = new AbortController();
    const sleep = clock.sleep(1_000, controller.signal);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(sleep).rejects.toBe(reason);
    expect(clock.next()).toBe(false);
    expect(clock.now()).toBe(0);
  });

  it('stops listening to the signal once awake (a later abort changes nothing)', async () => {
    const clock = manualClock(0);
    const controller = new AbortController();
    const sleep = clock.sleep(10, controller.signal);
    clock.advance(10);
    controller.abort(new Error('late'));
    await expect(sleep).resolves.toBeUndefined();
  });
});

describe('manualClock next', () => {
  it('moves to the earliest pending sleep and wakes all then due', async () => {
    const clock = manualClock(0);
    const woke: number[] = [];
    void clock.sleep(300).then(() => woke.push(300));
    void clock.sleep(100).then(() => woke.push(100));
    void clock.sleep(100).then(() => woke.push(101));
    expect(clock.next()).toBe(true);
    expect(clock.now()).toBe(100);
    await tick();
    expect(woke).toEqual([100, 101]);
    expect(clock.next()).toBe(true);
    expect(clock.now()).toBe(300);
    await tick();
    expect(woke).toEqual([100, 101, 300]);
  });

  it('wakes a sleep of 0 without moving time, and is false when nothing sleeps', async () => {
    const clock = manualClock(50);
    expect(clock.next()).toBe(false);
    const sleep = clock.sleep(0);
    expect(clock.next()).toBe(true);
    expect(clock.now()).toBe(50);
    expect(await settled(sleep)).toBe(true);
    expect(clock.next()).toBe(false);
  });
});

describe('manualClock shared by a mock and a token manager', () => {
  const msw = useMsw();

  it('expires the token for both at once and the manager fetches a fresh one', async () => {
    const clock = manualClock();
    const mock = norceMock({ environment: 'playground', now: clock.now, tokenLifetime: 600 });
    msw.use(mock);
    const auth = createTokenManager(
      clientCredentials({
        tokenUrl: mock.tokenUrl,
        clientId: NORCE_MOCK_DEFAULTS.clientId,
        clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
        scope: 'playground',
      }),
      { origins: [mock.apiOrigin], store: memoryStore(), clock },
    );
    try {
      const first = await auth.getToken();
      expect(first.issuedAt).toBe(clock.now());
      expect(first.expiresAt).toBe(clock.now() + 600_000);
      clock.advance(600_000);
      expect(mock.control.issuedTokens[0]?.expiresAt).toBeLessThanOrEqual(clock.now());
      const second = await auth.getToken();
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(second.issuedAt).toBe(clock.now());
      expect(mock.control.counters.tokensIssued).toBe(2);
    } finally {
      await auth.close();
    }
  });
});
