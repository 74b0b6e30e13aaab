// The provider mocks the conformance suite runs every adapter against, and the clock they share.
import {
  type Clock,
  memoryStore,
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
    now: () => Date.now() + offset,
    random: () => 0.5,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** Manager options a scenario may change; the store is always a fresh one. */
export type ManagerOverrides = Pick<TokenManagerOptions, 'maxAttempts' | 'requestTimeoutMs'>;

/** One provider mock plus a manager pointed at it. */
export interface Platform {
  readonly auth: TokenManager;
  readonly control: MockControl<IssuedToken, MockCounters>;
  readonly handlers: HttpHandler[];
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
  create(clock: TestClock, overrides?: ManagerOverrides): Platform;
}

export const PLATFORMS: readonly PlatformKind[] = [
  {
    name: 'Norce',
    create(clock, overrides = {}) {
      const mock = norceMock({ clientName: 'demo', environment: 'playground', now: clock.now });
      const auth = norce({
        clientName: 'demo',
        region: 'se',
        environment: 'playground',
        clientId: NORCE_MOCK_DEFAULTS.clientId,
        clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
        applicationId: NORCE_MOCK_DEFAULTS.applicationId,
        store: memoryStore(),
        clock,
        ...overrides,
      });
      return {
        auth,
        control: mock.control,
        handlers: mock.handlers,
        apiOrigin: mock.apiOrigin,
        apiUrl: `${mock.apiOrigin}/commerce/product/1.1/ListProducts`,
        echoUrl: mock.echoUrl,
        secrets: [NORCE_MOCK_DEFAULTS.clientSecret],
        lifetimeMs: 3_600_000,
      };
    },
  },
  {
    name: 'Oracle Commerce',
    create(clock, overrides = {}) {
      const mock = oracleCommerceMock({ now: clock.now });
      const applicationKey = mock.applicationKeys[0]!;
      const auth = oracleCommerce({
        baseUrl: mock.apiOrigin,
        applicationKey,
        store: memoryStore(),
        clock,
        ...overrides,
      });
      return {
        auth,
        control: mock.control,
        handlers: mock.handlers,
        apiOrigin: mock.apiOrigin,
        apiUrl: `${mock.apiOrigin}/ccadmin/v1/orders`,
        echoUrl: mock.echoUrl,
        secrets: [applicationKey],
        lifetimeMs: 300_000,
      };
    },
  },
];
