// The caller's abort and the client's own timeout end the wait for a slow token fetch.
import { describe, expect, it } from 'vitest';
import { isAbortLike } from '../../drivers/errors.ts';
import { rejection } from './assertions.ts';
import type { SuiteContext } from './context.ts';

export function abortBehaviour(ctx: SuiteContext): void {
  describe('abort and timeouts', () => {
    it("stops waiting on the caller's abort during a slow token fetch", async () => {
      const { platform } = ctx;
      platform.control.failNext(1, { delayMs: 1_500 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const error = await rejection(
        ctx.driver().get(platform.apiUrl, { signal: controller.signal }),
      );
      // It gave up before the slow token endpoint answered, and sent nothing to the API.
      expect(platform.control.counters.tokensIssued).toBe(0);
      expect(platform.control.counters.apiCalls).toBe(0);
      expect(isAbortLike(error)).toBe(true);
    });

    it("stops waiting at the client's timeout during a slow token fetch", async () => {
      const { platform } = ctx;
      platform.control.failNext(1, { delayMs: 1_500 });
      const error = await rejection(ctx.driver().get(platform.apiUrl, { timeoutMs: 100 }));
      expect(platform.control.counters.tokensIssued).toBe(0);
      expect(platform.control.counters.apiCalls).toBe(0);
      expect(isAbortLike(error)).toBe(true);
    });
  });
}
