// The steady-load simulation is honest: its API judges expiry itself after the modelled latency,
// so a client that trusts its own idea of a token's expiry is caught sending expired tokens.
import { describe, expect, it } from 'vitest';
import type { Arm, Target } from '../lib/arms.ts';
import { type TokenBody, tokenCache } from '../lib/token-cache.ts';
import type { Factory } from '../scenarios/herds.ts';
import { factories } from '../scenarios/herds.ts';
import { runSteadyOnce } from '../scenarios/steady.ts';

/** Uses a token until the moment it believes it expires (no margin), never retries a 401. */
const naive: Factory = {
  name: 'naive (no margin, no retry)',
  kind: 'peer',
  build: (target: Target) => {
    const cache = tokenCache(async () => {
      const response = await fetch(target.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: target.clientId,
          client_secret: target.clientSecret,
          scope: target.scope,
        }),
      });
      return (await response.json()) as TokenBody;
    }, 0);
    const arm: Arm = {
      name: 'naive',
      family: 'fetch',
      kind: 'peer',
      send: async () => {
        const headers = { ...target.staticHeaders, Authorization: `Bearer ${await cache.get()}` };
        const response = await fetch(target.url, { headers });
        await response.arrayBuffer();
        return response.status;
      },
    };
    return { arm, close: async () => {} };
  },
};

// 10 s tokens, callers every 50 ms on average: several calls land in each token's last 60 ms
// (the 50 ms its answer spent on the way back, plus the API's 10 ms).
const run = { lifetimeS: 10, durationMs: 30_000, tickMs: 50 };

describe('steady load on simulated time', () => {
  it('counts the expired tokens a client sends, judged by the API at arrival', {
    timeout: 60_000,
  }, async () => {
    const row = await runSteadyOnce(naive, run);
    expect(row.expiredSent).toBeGreaterThan(0);
    expect(row.api401s).toBe(row.expiredSent);
    expect(row.failures).toBe(row.expiredSent);
    // At least one new token per lifetime (more: without single-flight every caller that finds
    // the token stale fetches its own).
    expect(row.perLifetime).toBeGreaterThanOrEqual(1);
  });

  it('authwire with its defaults sends no expired token and fails no call', {
    timeout: 60_000,
  }, async () => {
    const core = factories().find((f) => f.name === 'authwire core + fetch') as Factory;
    const row = await runSteadyOnce(core, run);
    expect(row).toMatchObject({ expiredSent: 0, api401s: 0, failures: 0 });
    expect(row.tokenRequests).toBeGreaterThanOrEqual(3);
  });
});
