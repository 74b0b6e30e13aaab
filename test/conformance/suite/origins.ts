// Only the manager's origins get a token: not a foreign origin, not across a redirect, not on opt-out.
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { FOREIGN, type SuiteContext } from './context.ts';

export function originsBehaviour(ctx: SuiteContext): void {
  describe('origins', () => {
    it('sends nothing to a foreign origin, and fetches no token for it', async () => {
      const result = await ctx.driver().get(`${FOREIGN}/probe`);
      expect(result.body).toEqual({ authorization: null, applicationid: null });
      expect(ctx.platform.control.counters.tokenEndpointCalls).toBe(0);
    });

    it('does not carry the token across a redirect to a foreign origin', async () => {
      const { platform } = ctx;
      ctx.server.use(
        http.get(`${platform.apiOrigin}/moved`, () =>
          HttpResponse.redirect(`${FOREIGN}/probe`, 302),
        ),
      );
      const result = await ctx.driver().get(`${platform.apiOrigin}/moved`);
      expect(result.status).toBe(200);
      expect(ctx.probes).toHaveLength(1);
      expect(ctx.probes[0]?.authorization).toBeNull();
      expect(platform.control.counters.tokenEndpointCalls).toBe(1);
    });
  });
}

/** The per-request opt-out (gated: a plain fetch user calls fetch itself instead). */
export function optOutBehaviour(ctx: SuiteContext): void {
  describe('origins', () => {
    it('sends a request without a token when it opts out', async () => {
      const { platform } = ctx;
      ctx.server.use(
        http.get(`${platform.apiOrigin}/public`, ({ request }) =>
          HttpResponse.json({ authorization: request.headers.get('authorization') }),
        ),
      );
      const driver = ctx.driver();
      const result = await driver.get(`${platform.apiOrigin}/public`, { skipAuth: true });
      expect(result.body).toEqual({ authorization: null });
      expect(platform.control.counters.tokenEndpointCalls).toBe(0);
    });
  });
}
