// The two embedded mock platforms, each with a token manager pointed at it through its preset.
import { memoryStore, type TokenManager } from '@authwire/core';
import {
  type IssuedToken,
  type MockControl,
  type MockCounters,
  NORCE_MOCK_DEFAULTS,
  norceMock,
  oracleCommerceMock,
} from '@authwire/msw';
import { norce } from '@authwire/norce';
import { oracleCommerce } from '@authwire/oracle-commerce';
import type { HttpHandler } from 'msw';
import type { DemoClock } from './clock.ts';

/** One mock platform plus a manager configured for it, fresh for every scenario. */
export interface Platform {
  readonly auth: TokenManager;
  readonly control: MockControl<IssuedToken, MockCounters>;
  readonly handlers: readonly HttpHandler[];
  /** The API origin: the only place the token may go. */
  readonly baseUrl: string;
  /** A protected GET endpoint, relative to `baseUrl`. */
  readonly path: string;
  /** Token-endpoint requests the manager has sent whose response it has not read yet. */
  readonly tokenRequestsInFlight: () => number;
}

/**
 * The manager's transport for token requests, counting the ones in flight. The demo's clock must
 * not move while one is on its way: a request "sent" at 8:00.1 and read by the mock after two
 * skipped waves arrives a minute later, with a token that expired on the way.
 */
function countingFetch(): { fetch: typeof fetch; inFlight: () => number } {
  let inFlight = 0;
  return {
    fetch: async (input, init) => {
      inFlight += 1;
      try {
        return await globalThis.fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    },
    inFlight: () => inFlight,
  };
}

export interface PlatformKind {
  readonly name: string;
  create(clock: DemoClock): Platform;
}

export const norcePlatform: PlatformKind = {
  name: 'Norce',
  create(clock) {
    // 600 s is the lifetime in Norce's own example response (the docs' text says 3600 s).
    const mock = norceMock({
      clientName: 'demo',
      environment: 'playground',
      tokenLifetime: 600,
      now: clock.now,
    });
    const transport = countingFetch();
    const auth = norce({
      clientId: NORCE_MOCK_DEFAULTS.clientId,
      clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
      applicationId: NORCE_MOCK_DEFAULTS.applicationId,
      clientName: 'demo',
      region: 'se',
      environment: 'playground',
      // A store per scenario, so no scenario starts with another one's token.
      store: memoryStore(),
      clock,
      fetch: transport.fetch,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      baseUrl: auth.baseUrl,
      path: '/commerce/product/1.1/ListProducts',
      tokenRequestsInFlight: transport.inFlight,
    };
  },
};

export const oraclePlatform: PlatformKind = {
  name: 'Oracle',
  create(clock) {
    // Application-key tokens live 5 minutes (Oracle Commerce 17.12 docs).
    const mock = oracleCommerceMock({ now: clock.now });
    const transport = countingFetch();
    const auth = oracleCommerce({
      baseUrl: mock.apiOrigin,
      applicationKey: mock.applicationKeys[0]!,
      store: memoryStore(),
      clock,
      fetch: transport.fetch,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      baseUrl: auth.baseUrl,
      path: '/ccadmin/v1/orders',
      tokenRequestsInFlight: transport.inFlight,
    };
  },
};

export const PLATFORMS: readonly PlatformKind[] = [norcePlatform, oraclePlatform];
