// A token manager for adapter tests: its provider hands out tok-1, tok-2, … and no network is used.
import { createTokenManager, memoryStore, type TokenManager } from '@authwire/core';
import { onTestFinished } from 'vitest';

export interface StubManagerOptions {
  /** Extra headers the provider puts on API requests (e.g. `{ ApplicationId: '7' }`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The header that carries the token as is, instead of Authorization (Shopify's own). */
  readonly tokenHeader?: string;
}

/**
 * A manager for `origin` whose provider issues `tok-1`, `tok-2`, … (one hour each); closed when the
 * test finishes. Call it inside a test.
 */
export function stubManager(origin: string, options: StubManagerOptions = {}): TokenManager {
  let issued = 0;
  const { headers, tokenHeader } = options;
  const auth = createTokenManager(
    {
      key: `test-${Math.random()}`,
      async fetchToken() {
        issued += 1;
        const now = Date.now();
        return {
          accessToken: `tok-${issued}`,
          tokenType: 'Bearer',
          issuedAt: now,
          expiresAt: now + 3_600_000,
        };
      },
      ...(headers ? { headers: () => headers } : {}),
      ...(tokenHeader ? { tokenHeader } : {}),
    },
    { origins: [origin], store: memoryStore() },
  );
  onTestFinished(() => auth.close());
  return auth;
}
