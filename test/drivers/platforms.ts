// The provider mocks the conformance and fault suites run against, each with a manager wired to it,
// and the conformance suite's clock.
import {
  type Clock,
  memoryStore,
  systemClock,
  type TokenManager,
  type TokenManagerOptions,
} from '@authwire/core';
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

/** Wall-clock time plus whatever a test skipped. Sleeps are real: the manager's timeouts use them. */
export interface TestClock extends Clock {
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  return {
    ...systemClock,
    now: () => Date.now() + offset,
    random: () => 0.5,
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** Manager options on top of the mock's credentials; the store is always a fresh memory store. */
export type ManagerOverrides = Omit<TokenManagerOptions, 'origins' | 'store'>;

export interface PlatformOptions {
  /** The mock's clock; default `Date.now`. */
  readonly now?: () => number;
  /** The manager's options besides the mock's credentials (clock, fetch, retries, …). */
  readonly manager?: ManagerOverrides;
}

/** One provider mock plus a manager pointed at it. */
export interface Platform {
  readonly auth: TokenManager;
  readonly control: MockControl<IssuedToken, MockCounters>;
  readonly handlers: HttpHandler[];
  /** The mock's token endpoint (Oracle Commerce: the admin login). */
  readonly tokenUrl: string;
  readonly apiOrigin: string;
  /** A protected GET endpoint. */
  readonly apiUrl: string;
  /** The protected echo endpoint (any method). */
  readonly echoUrl: string;
  /** What must never appear in an error: the client secret or application key. */
  readonly secrets: readonly string[];
  /** The mock's token lifetime in ms. */
  readonly lifetimeMs: number;
}

export interface PlatformKind {
  readonly name: string;
  create(options?: PlatformOptions): Platform;
}

/** The mock's `now` option, when one was given. */
const mockNow = (options: PlatformOptions) => (options.now ? { now: options.now } : {});

export const NORCE: PlatformKind = {
  name: 'Norce',
  create(options = {}) {
    const mock = norceMock({ clientName: 'demo', environment: 'playground', ...mockNow(options) });
    const auth = norce({
      clientName: 'demo',
      region: 'se',
      environment: 'playground',
      clientId: NORCE_MOCK_DEFAULTS.clientId,
      clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
      applicationId: NORCE_MOCK_DEFAULTS.applicationId,
      store: memoryStore(),
      ...options.manager,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      tokenUrl: mock.tokenUrl,
      apiOrigin: mock.apiOrigin,
      apiUrl: `${mock.apiOrigin}/commerce/product/1.1/ListProducts`,
      echoUrl: mock.echoUrl,
      secrets: [NORCE_MOCK_DEFAULTS.clientSecret],
      lifetimeMs: 3_600_000,
    };
  },
};

const ORACLE_COMMERCE: PlatformKind = {
  name: 'Oracle Commerce',
  create(options = {}) {
    const mock = oracleCommerceMock(mockNow(options));
    const applicationKey = mock.applicationKeys[0]!;
    const auth = oracleCommerce({
      baseUrl: mock.apiOrigin,
      applicationKey,
      store: memoryStore(),
      ...options.manager,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      tokenUrl: mock.tokenUrl,
      apiOrigin: mock.apiOrigin,
      apiUrl: `${mock.apiOrigin}/ccadmin/v1/orders`,
      echoUrl: mock.echoUrl,
      secrets: [applicationKey],
      lifetimeMs: 300_000,
    };
  },
};

export const PLATFORMS: readonly PlatformKind[] = [NORCE, ORACLE_COMMERCE];
