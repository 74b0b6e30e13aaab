// No server answer can park a key for longer than the documented ceiling, nor overflow a timer.
import { randomUUID } from 'node:crypto';
import {
  clientCredentials,
  createTokenManager,
  RateLimitedError,
  type TokenManager,
  type TokenManagerOptions,
} from '@authwire/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
  waitsOf,
} from './support.ts';

leakGuard();
const SECRET = 'liveness-Secret-4242';
/** The documented ceiling of any Retry-After or back-off (MAX_WAIT_MS in core's backoff.ts). */
const MAX_WAIT_MS = 10 * 60 * 1000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** path → the Retry-After values the next token requests get (then a token). */
const scripts = new Map<string, string[]>();
let idp: HostileServer;
const managers: TokenManager[] = [];

beforeAll(async () => {
  idp = await hostileServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const retryAfter = scripts.get(path)?.shift();
    if (retryAfter !== undefined) {
      sendJson(res, 429, { error: 'slow_down' }, { 'retry-after': retryAfter });
      return;
    }
    tokenAnswer(res, idp.issue());
  });
});
afterAll(() => idp.close());
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

function setup(retryAfters: string[], options: TokenManagerOptions = {}) {
  const path = `/token/${randomUUID()}`;
  scripts.set(path, retryAfters);
  const clock = steppableClock();
  const log = eventLog();
  const make = () => {
    const auth = createTokenManager(
      clientCredentials({ tokenUrl: `${idp.origin}${path}`, clientId: 'c', clientSecret: SECRET }),
      { origins: ['https://api.example.com'], clock, onEvent: log.onEvent, ...options },
    );
    managers.push(auth);
    return auth;
  };
  return { path, clock, events: log.events, make };
}

describe('Retry-After is capped at the documented ceiling', () => {
  it('Retry-After: 31536000 (a year) blocks the key for 10 minutes at most, new managers included', async () => {
    const { path, clock, events, make } = setup(['31536000']);
    const { error } = await rejectionOf(make().getToken());
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(MAX_WAIT_MS);
    // Refused at once: the manager waited for nothing (no sleep of its clock ran out), and
    // announced no wait.
    expect(clock.slept).toEqual([]);
    expect(waitsOf(events)).toEqual([]);
    expect(idp.count(path)).toBe(1);

    // A new manager inside the block: told to wait at most the ceiling, no token request.
    const blocked = await rejectionOf(make().getToken());
    expect(blocked.error).toBeInstanceOf(RateLimitedError);
    expect((blocked.error as RateLimitedError).retryAfterMs).toBeLessThanOrEqual(MAX_WAIT_MS);
    expect(idp.count(path)).toBe(1);

    // Ten minutes later (not a year) a new manager gets a token.
    clock.shift(MAX_WAIT_MS + 1);
    await expect(make().getToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(idp.count(path)).toBe(2);
    assertNoSecrets([error, blocked.error, events], [SECRET, ...idp.issued]);
  });

  it('a Retry-After above 2^31 ms with a large maxRetryAfterMs waits the ceiling, never overflowing a timer', async () => {
    const { path, clock, events, make } = setup(['2147484'], { maxRetryAfterMs: MAX_TIMER_MS });
    const token = await make().getToken();
    expect(token.tokenType).toBe('Bearer');
    expect(idp.count(path)).toBe(2);
    // Every wait the manager asked the clock for fits a timer and the ceiling.
    expect(clock.sleeps.length).toBeGreaterThan(0);
    for (const ms of clock.sleeps) {
      expect(ms).toBeLessThanOrEqual(MAX_WAIT_MS);
      expect(ms).toBeLessThan(2 ** 31);
    }
    expect(clock.sleeps).toContain(MAX_WAIT_MS);
    assertNoSecrets([events], [SECRET, ...idp.issued]);
  });

  it('an HTTP-date Retry-After in the past retries at once', async () => {
    const past = new Date(Date.now() - 3_600_000).toUTCString();
    const { path, make } = setup([past], { maxRetryAfterMs: 1_000 });
    await expect(make().getToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(idp.count(path)).toBe(2);
  });
});
