// Nothing secret in what a caller is handed: the 401 response, the token-endpoint error.
import { describe, expect, it } from 'vitest';
import { authwireErrorIn } from '../../drivers/errors.ts';
import { expectNothingSecret, rejection } from './assertions.ts';
import type { SuiteContext } from './context.ts';
import { TOKEN_FAILURES } from './failures.ts';

export function redactionBehaviour(ctx: SuiteContext): void {
  describe('redaction', () => {
    it('keeps the access token out of the 401 the caller gets', async () => {
      const { platform } = ctx;
      const driver = ctx.driver();
      platform.control.failNextApi(2, { status: 401 });
      const result = await driver.get(platform.apiUrl);
      expect(result.status).toBe(401);
      expect(platform.control.issuedTokens.length).toBeGreaterThan(0);
      expectNothingSecret(result, platform);
    });

    it.each(TOKEN_FAILURES)('keeps every secret out of a %s error', async (_, failure, code) => {
      const failing = ctx.setup({ maxAttempts: 1 });
      failing.control.failNext(1, failure);
      const error = await rejection(ctx.driver().get(failing.apiUrl));
      // The error is the one the failure caused, so the check below is not vacuous.
      expect(authwireErrorIn(error)?.code).toBe(code);
      expectNothingSecret(error, failing);
    });
  });
}
