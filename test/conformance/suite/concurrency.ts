// Herds: hundreds of callers share one token request, and one refresh after the tokens are revoked.
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.ts';

const HERD = 200;

export function concurrencyBehaviour(ctx: SuiteContext): void {
  describe('concurrency', () => {
    it('does one token request for a cold-start herd shared by two clients', async () => {
      const { platform } = ctx;
      const [a, b] = [ctx.driver(), ctx.driver()];
      const all = Array.from({ length: HERD }, (_, i) => (i % 2 ? a : b).get(platform.apiUrl));
      const results = await Promise.all(all);
      expect(results.map((r) => r.status)).toEqual(Array(HERD).fill(200));
      expect(platform.control.counters.tokenEndpointCalls).toBe(1);
    });

    // A bare manager heals nothing; every adapter does.
    it.runIf(ctx.capabilities.heals401)(
      'does one refresh for a 401 herd after revokeAll() and retries each request once',
      async () => {
        const { platform } = ctx;
        const driver = ctx.driver();
        expect((await driver.get(platform.apiUrl)).status).toBe(200);
        platform.control.revokeAll();
        const before = platform.control.counters.tokensIssued;
        const results = await Promise.all(
          Array.from({ length: HERD }, () => driver.get(platform.apiUrl)),
        );
        expect(results.map((r) => r.status)).toEqual(Array(HERD).fill(200));
        expect(platform.control.counters.tokensIssued).toBe(before + 1);
        const herd = ctx.records(ctx.apiPath()).slice(1);
        expect(herd).toHaveLength(2 * HERD);
        expect(herd.filter((r) => r.token === 'revoked' && r.tokenIndex === 0)).toHaveLength(HERD);
        expect(herd.filter((r) => r.token === 'valid' && r.tokenIndex === 1)).toHaveLength(HERD);
      },
    );
  });

  describe('expiry', () => {
    it('never sends an expired token under continuous load across token lifetimes', async () => {
      const { platform } = ctx;
      const driver = ctx.driver();
      const step = platform.lifetimeMs / 12;
      for (let i = 0; i < 30; i++) {
        const results = await Promise.all(
          Array.from({ length: 10 }, () => driver.get(platform.apiUrl)),
        );
        expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
        ctx.clock.advance(step);
      }
      expect(ctx.records(ctx.apiPath()).filter((r) => r.token === 'expired')).toEqual([]);
      expect(platform.control.counters.tokensIssued).toBeGreaterThanOrEqual(3);
    });
  });
}
