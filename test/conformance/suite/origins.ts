// Only the manager's origins get a token (not a foreign origin, not across a redirect, not on opt-out),
// and only their 401s are healed: a foreign 401 behind a redirect reaches the caller untouched.
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { FOREIGN, type SuiteContext } from './context.ts';

export function originsBehaviour(ctx: SuiteContext): void {
  describe('origins', () => {
    it('sends nothing to a foreign origin, and fetches no token for it', async () => {
      const result = await ctx.driver().get(`${FOREIGN}/probe`);
      expect(result.body).toEqual({ authorization: null, applicationid: null, token: null });
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
      expect(ctx.probes[0]?.token).toBeNull();
      expect(ctx.probes[0]?.applicationid).toBeNull();
      expect(platform.control.counters.tokenEndpointCalls).toBe(1);
    });

    // Fetch strips only Authorization on a cross-origin redirect: a token in X-Shopify-Access-Token,
    // or Norce's ApplicationId beside it, is the seam's to strip, whichever way the client follows.
    it('carries none of the headers it added across a redirect to a foreign origin', async () => {
      const { platform } = ctx;
      const seen: Record<string, string>[] = [];
      ctx.server.use(
        http.post(`${platform.apiOrigin}/moved-on`, () =>
          HttpResponse.redirect(`${FOREIGN}/landing`, 303),
        ),
        http.all(`${FOREIGN}/landing`, ({ request }) => {
          seen.push(Object.fromEntries(request.headers));
          return HttpResponse.json({ landed: true });
        }),
      );
      const result = await ctx.driver().post(`${platform.apiOrigin}/moved-on`, { id: 1 });
      expect(result.status).toBe(200);
      const added = Object.keys((await platform.auth.authorize(platform.apiUrl))?.headers ?? {});
      expect(added.length).toBeGreaterThan(0);
      expect(seen).toHaveLength(1);
      const leaked = added.filter((name) => seen[0]?.[name.toLowerCase()] !== undefined);
      expect(leaked).toEqual([]);
      const values = Object.values(seen[0] ?? {}).join('\n');
      for (const token of platform.control.issuedTokens)
        expect(values).not.toContain(token.accessToken);
      expect(platform.control.counters.tokenEndpointCalls).toBe(1);
    });

    it('lets a 401 from a foreign origin behind a redirect reach the caller, keeping the token', async () => {
      const { platform } = ctx;
      const refused: (string | null)[] = [];
      ctx.server.use(
        http.get(`${platform.apiOrigin}/moved-away`, () =>
          HttpResponse.redirect(`${FOREIGN}/denied`, 302),
        ),
        http.get(`${FOREIGN}/denied`, ({ request }) => {
          refused.push(request.headers.get(platform.tokenHeader));
          return HttpResponse.json({ error: 'not yours' }, { status: 401 });
        }),
      );
      const driver = ctx.driver();
      expect((await driver.get(platform.apiUrl)).status).toBe(200);

      const result = await driver.get(`${platform.apiOrigin}/moved-away`);

      expect(result.status).toBe(401);
      expect(refused).toEqual([null]);
      expect(platform.control.counters.tokenEndpointCalls).toBe(1);
      const types = ctx.events.map((event) => event.type);
      expect(types).not.toContain('token_invalidated');
      expect(types).not.toContain('unauthorized_retry');
      // The token the API accepted is still the one in use.
      expect((await driver.get(platform.apiUrl)).status).toBe(200);
      expect(ctx.records(ctx.apiPath()).map((r) => r.tokenIndex)).toEqual([0, 0]);
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
          HttpResponse.json({ authorization: request.headers.get(platform.tokenHeader) }),
        ),
      );
      const driver = ctx.driver();
      const result = await driver.get(`${platform.apiOrigin}/public`, { skipAuth: true });
      expect(result.body).toEqual({ authorization: null });
      expect(platform.control.counters.tokenEndpointCalls).toBe(0);
    });
  });
}
