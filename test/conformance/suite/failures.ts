// Token-endpoint failures reach the caller as typed errors, and no API request is sent without a token.
import { describe, expect, it } from 'vitest';
import { authwireErrorIn } from '../../drivers/errors.ts';
import { rejection } from './assertions.ts';
import type { SuiteContext } from './context.ts';

/** One failure per error class a caller can see from the token endpoint. */
export const TOKEN_FAILURES = [
  ['500', { status: 500 }, 'token_request_failed'],
  ['429', { status: 429, retryAfter: 3600 }, 'rate_limited'],
  ['malformed JSON', 'malformed-json', 'invalid_token_response'],
] as const;

export function failuresBehaviour(ctx: SuiteContext): void {
  describe('token endpoint failures', () => {
    it.each(TOKEN_FAILURES)('surfaces a %s as a typed error', async (_, failure, code) => {
      const failing = ctx.setup({ maxAttempts: 1 });
      failing.control.failNext(1, failure);
      const error = await rejection(ctx.driver().get(failing.apiUrl));
      expect(authwireErrorIn(error)?.code).toBe(code);
      expect(failing.control.counters.apiCalls).toBe(0);
    });
  });
}
