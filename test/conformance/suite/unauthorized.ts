// 401 and 403 from the API: one heal with a fresh token for a 401, nothing for a 403.
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.ts';

export function unauthorizedBehaviour(ctx: SuiteContext): void {
  describe('401 and 403', () => {
    it('makes exactly two attempts on a persistent 401, then reports the 401 normally', async () => {
      const { platform } = ctx;
      const driver = ctx.driver();
      platform.control.failNextApi(2, { status: 401 });
      const result = await driver.get(platform.apiUrl);
      expect(result.status).toBe(401);
      expect(ctx.records(ctx.apiPath())).toHaveLength(2);
    });

    it('heals a single 401 with one fresh token and one retry', async () => {
      const { platform } = ctx;
      const driver = ctx.driver();
      platform.control.failNextApi(1, { status: 401 });
      const result = await driver.get(platform.apiUrl);
      expect(result.status).toBe(200);
      expect(ctx.records(ctx.apiPath())).toHaveLength(2);
      expect(platform.control.counters.tokenEndpointCalls).toBe(2);
      expect(ctx.events.filter((e) => e.type === 'token_invalidated')).toHaveLength(1);
    });

    it('does not retry a 403', async () => {
      const { platform } = ctx;
      let calls = 0;
      ctx.server.use(
        http.get(`${platform.apiOrigin}/forbidden`, () => {
          calls += 1;
          return HttpResponse.json({ message: 'no' }, { status: 403 });
        }),
      );
      const result = await ctx.driver().get(`${platform.apiOrigin}/forbidden`);
      expect(result.status).toBe(403);
      expect(calls).toBe(1);
      expect(platform.control.counters.tokenEndpointCalls).toBe(1);
    });
  });
}
