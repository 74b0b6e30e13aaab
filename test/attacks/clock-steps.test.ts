// Waits follow a monotonic clock: a wall-clock step back never blocks a key for an hour, and messages name the label.
import { createTokenManager, RateLimitedError } from '@authwire/core';
import { norce } from '@authwire/norce';
import { describe, expect, it } from 'vitest';
import { useScriptedIdp } from './scripted-idp.ts';
import {
  assertNoSecrets,
  eventLog,
  leakGuard,
  rejectionOf,
  steppableClock,
  waitsOf,
} from './support.ts';

leakGuard();
const SECRET = 'clock-Secret-6161';
const API = 'https://api.example.com';
const env = useScriptedIdp(SECRET);

describe('liveness: waits follow a monotonic clock, not wall time', () => {
  it('a wall-clock step back of 1 h after a 429 does not block for an hour', async () => {
    const path = env.uniquePath();
    const clock = steppableClock();
    const auth = env.track(
      createTokenManager(env.provider(path, ['429:20']), {
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
    expect(env.idp.count(path)).toBe(1);
    assertNoSecrets([first.error, second.error, auth], [SECRET]);
  });

  it('a wall-clock step back of 1 h inside the Norce token bucket does not block for an hour', async () => {
    const path = env.uniquePath();
    env.provider(path);
    const clock = steppableClock();
    const log = eventLog();
    const auth = env.track(
      norce({
        clientId: 'c',
        clientSecret: SECRET,
        applicationId: 1,
        environment: 'stage',
        tokenUrl: `${env.idp.origin}${path}`,
        baseUrl: API,
        clock,
        maxRetryAfterMs: 1_000,
        onEvent: log.onEvent,
      }),
    );
    // Spend the burst (capacity 20): no wait yet.
    for (let i = 0; i < 20; i++) await auth.getToken({ forceRefresh: true });
    expect(env.idp.count(path)).toBe(20);
    clock.shift(-3_600_000);
    // The next slot is one refill away (3 per minute: 20 s), whatever the wall clock did.
    const { error } = await rejectionOf(auth.getToken({ forceRefresh: true }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeLessThanOrEqual(20_000);
    expect((error as Error).message).toMatch(/retry in (1?\d|20) s/);
    // Refused at once: the manager waited for nothing (no sleep of its clock ran out), and
    // announced no wait (the refusal is a `rate_limited` that does not wait).
    expect(clock.slept).toEqual([]);
    expect(waitsOf(log.events)).toEqual([]);
    expect(env.idp.count(path)).toBe(20);
    assertNoSecrets([error, auth], [SECRET, ...env.idp.issued]);
  });

  it('the RateLimitedError of a blocked key names a readable label, never the encoded internal key', async () => {
    const path = env.uniquePath();
    const p = env.provider(path, ['429:30']);
    const auth = env.track(createTokenManager(p, { origins: [API], maxRetryAfterMs: 10 }));
    await rejectionOf(auth.getToken());
    const { error } = await rejectionOf(auth.getToken());
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(env.idp.count(path)).toBe(1);
    const message = (error as Error).message;
    expect(message).not.toContain(p.key);
    expect(message).not.toContain('%3A');
    expect(message).toContain(`${new URL(env.idp.origin).host}${path}`);
    assertNoSecrets([error, auth, p], [SECRET]);
  });
});
