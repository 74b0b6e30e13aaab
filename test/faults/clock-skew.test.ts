// Clock skew: the server's clock ±10 min off ours. Tokens must live their real lifetime, no fetch loop.
import {
  type Clock,
  clientCredentials,
  createTokenManager,
  memoryStore,
  type TokenManager,
} from '@authwire/core';
import { type ManualClock, makeFakeJwt, manualClock } from '@authwire/msw';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { PLATFORMS, type PlatformKind } from '../drivers/platforms.ts';
import { leakGuard } from './leak-guard.ts';
import { routeFetch } from './route-fetch.ts';

const MINUTE = 60_000;
const SKEWS = [-10 * MINUTE, 0, 10 * MINUTE] as const;
const LIFETIMES = 3;
const STEPS_PER_LIFETIME = 24;

leakGuard();
const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((auth) => auth.close()));
});

interface World {
  readonly auth: TokenManager;
  readonly apiUrl: string;
  readonly fetch: typeof fetch;
  readonly tokenCalls: () => number;
  readonly lifetimeMs: number;
}

/** Most token requests `LIFETIMES` lifetimes may take: one per refresh-ahead cycle, plus the first. */
function maxCalls(lifetimeMs: number): number {
  const window = Math.min(120_000, lifetimeMs / 2) * 1.1;
  return Math.ceil((LIFETIMES * lifetimeMs) / (lifetimeMs - window)) + 1;
}

/** A platform whose server clock runs `skew` ms off the manager's, reached without sockets. */
function skewed(kind: PlatformKind, clock: Clock, skew: number, omitExpiresIn: boolean): World {
  const fetch = routeFetch(() => platform.handlers);
  const platform = kind.create({ now: () => clock.now() + skew, manager: { clock, fetch } });
  if (omitExpiresIn) platform.control.failNext(1_000, { expiresIn: undefined });
  return {
    auth: platform.auth,
    fetch,
    apiUrl: platform.apiUrl,
    tokenCalls: () => platform.control.counters.tokenEndpointCalls,
    lifetimeMs: platform.lifetimeMs,
  };
}

/** Calls the API every step for LIFETIMES lifetimes; heals a 401 once, as every adapter does. */
async function drive(world: World, clock: ManualClock): Promise<number[]> {
  const statuses: number[] = [];
  const step = world.lifetimeMs / STEPS_PER_LIFETIME;
  for (let i = 0; i < LIFETIMES * STEPS_PER_LIFETIME; i++) {
    const authorization = (await world.auth.authorize(world.apiUrl))!;
    let response = await world.fetch(world.apiUrl, { headers: authorization.headers });
    if (response.status === 401) {
      const fresh = (await world.auth.reauthorize(world.apiUrl, authorization.token))!;
      response = await world.fetch(world.apiUrl, { headers: fresh.headers });
    }
    statuses.push(response.status);
    // Let a background refresh land before time moves on.
    await new Promise<void>((resolve) => setImmediate(resolve));
    clock.advance(step);
  }
  return statuses;
}

describe.each(PLATFORMS)('$name with a skewed server clock', (kind) => {
  describe.each([
    ['with expires_in', false],
    ['without expires_in (JWT iat/exp)', true],
  ] as const)('%s', (_, omitExpiresIn) => {
    it.each(SKEWS)('uses each token for its real lifetime at a skew of %i ms', async (skew) => {
      const clock = manualClock();
      const world = skewed(kind, clock, skew, omitExpiresIn);
      managers.push(world.auth);

      const statuses = await drive(world, clock);

      // Every call got through on the first try: no token was used past its real expiry…
      expect(statuses).toEqual(Array(statuses.length).fill(200));
      // …and none was thrown away early: one token per refresh cycle, no fetch loop.
      expect(world.tokenCalls()).toBeGreaterThanOrEqual(LIFETIMES);
      expect(world.tokenCalls()).toBeLessThanOrEqual(maxCalls(world.lifetimeMs));
      const token = await world.auth.getToken();
      expect(token.expiresAt - token.issuedAt).toBe(world.lifetimeMs);
    });
  });
});

describe('a JWT with exp but no iat and no expires_in, server clock skewed', () => {
  const LIFETIME = 3_600_000;
  const ORIGIN = 'https://skew.example';
  function world(clock: ManualClock, skew: number): World & { unauthorized: () => number } {
    const serverNow = (): number => clock.now() + skew;
    let calls = 0;
    let unauthorized = 0;
    const handlers: RequestHandler[] = [
      http.post(`${ORIGIN}/token`, () => {
        calls += 1;
        const exp = Math.floor((serverNow() + LIFETIME) / 1000);
        return HttpResponse.json({
          access_token: makeFakeJwt({ exp, sub: 'skew' }),
          token_type: 'Bearer',
        });
      }),
      http.get(`${ORIGIN}/api`, ({ request }) => {
        const token = request.headers.get('authorization')?.split('.')[1] ?? '';
        const claims = JSON.parse(Buffer.from(token, 'base64url').toString() || '{}') as {
          exp?: number;
        };
        if (!claims.exp || serverNow() >= claims.exp * 1000) {
          unauthorized += 1;
          return new HttpResponse(null, { status: 401 });
        }
        return HttpResponse.json({ ok: true });
      }),
    ];
    const fetch = routeFetch(() => handlers);
    // A bare client-credentials provider: the claims are all the manager has to go on.
    const auth = createTokenManager(
      clientCredentials({
        tokenUrl: `${ORIGIN}/token`,
        clientId: 'skew',
        clientSecret: 'skew-secret',
      }),
      { origins: [ORIGIN], store: memoryStore(), clock, fetch },
    );
    return {
      auth,
      fetch,
      apiUrl: `${ORIGIN}/api`,
      tokenCalls: () => calls,
      unauthorized: () => unauthorized,
      lifetimeMs: LIFETIME,
    };
  }
  it('does not loop when the server is 10 min behind (exp − now is short, not negative)', async () => {
    const clock = manualClock();
    const w = world(clock, -10 * MINUTE);
    managers.push(w.auth);
    const statuses = await drive(w, clock);
    expect(statuses).toEqual(Array(statuses.length).fill(200));
    expect(w.unauthorized()).toBe(0);
    // 50-minute tokens over three hours: at most one fetch per 50 − 2 minutes, plus the first.
    expect(w.tokenCalls()).toBeLessThanOrEqual(Math.ceil((3 * 60) / 48) + 1);
    const token = await w.auth.getToken();
    expect(token.expiresAt - token.issuedAt).toBe(LIFETIME - 10 * MINUTE);
  });

  it('heals with one refresh per lifetime when the server is 10 min ahead (exp − now is long)', async () => {
    const clock = manualClock();
    const w = world(clock, 10 * MINUTE);
    managers.push(w.auth);
    const statuses = await drive(w, clock);
    expect(statuses).toEqual(Array(statuses.length).fill(200));
    // Without iat the manager cannot know the token dies 10 min early: each lifetime may cost
    // one 401 (healed by one refresh), never a loop.
    expect(w.unauthorized()).toBeLessThanOrEqual(LIFETIMES);
    expect(w.tokenCalls()).toBeLessThanOrEqual(2 * LIFETIMES + 1);
  });
});
