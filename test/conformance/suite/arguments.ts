// Building a client with something that is not a TokenManager fails at once, with a typed error.
import type { TokenManager } from '@authwire/core';
import { describe, expect, it } from 'vitest';
import { authwireErrorIn } from '../../drivers/errors.ts';
import type { SuiteContext } from './context.ts';

export function argumentsBehaviour(ctx: SuiteContext): void {
  describe('arguments', () => {
    it.each([undefined, null, {}, 'token'])(
      'refuses %j as the manager with a typed error',
      (bad) => {
        let error: unknown;
        try {
          ctx.driverFor(bad as unknown as TokenManager);
        } catch (e) {
          error = e;
        }
        expect(authwireErrorIn(error)).toMatchObject({ code: 'invalid_options', option: 'auth' });
      },
    );
  });
}
