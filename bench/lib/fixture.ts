// The Norce mock served over loopback, and the credentials every client uses against it.
import {
  NORCE_MOCK_DEFAULTS,
  type NorceMock,
  norceMock,
  type ServedMock,
  serveMock,
} from '@authwire/msw';
import type { Target } from './arms.ts';

export const credentials = {
  clientId: NORCE_MOCK_DEFAULTS.clientId,
  clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
  applicationId: NORCE_MOCK_DEFAULTS.applicationId,
  scope: 'playground',
} as const;

export interface MockOptions {
  /** Token lifetime in seconds (default 3600, Norce's documented value). */
  readonly lifetimeS?: number;
  /** The mock's clock (shared with the manager in the steady-load scenario). */
  readonly now?: () => number;
}

/**
 * Serves a Norce mock. Its token-endpoint rate limit is off: the bench counts every token request
 * a client makes, and a 429 would hide the peers' extra requests behind retries.
 */
export function serveNorce(options: MockOptions = {}): Promise<ServedMock<NorceMock>> {
  return serveMock((baseUrl) =>
    norceMock({
      baseUrl,
      rateLimit: false,
      ...(options.lifetimeS ? { tokenLifetime: options.lifetimeS } : {}),
      ...(options.now ? { now: options.now } : {}),
    }),
  );
}

/** A protected Norce API GET, as every client in the token-counting scenarios calls it. */
export function norceTarget(mock: NorceMock): Target {
  return {
    url: `${mock.apiOrigin}/commerce/product/1.1/ListProducts`,
    staticHeaders: { ApplicationId: String(credentials.applicationId) },
    tokenUrl: mock.tokenUrl,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    scope: credentials.scope,
  };
}
