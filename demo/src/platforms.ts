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
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      baseUrl: auth.baseUrl,
      path: '/commerce/product/1.1/ListProducts',
    };
  },
};

export const oraclePlatform: PlatformKind = {
  name: 'Oracle',
  create(clock) {
    // Application-key tokens live 5 minutes (Oracle Commerce 17.12 docs).
    const mock = oracleCommerceMock({ now: clock.now });
    const auth = oracleCommerce({
      baseUrl: mock.apiOrigin,
      applicationKey: mock.applicationKeys[0]!,
      store: memoryStore(),
      clock,
    });
    return {
      auth,
      control: mock.control,
      handlers: mock.handlers,
      baseUrl: auth.baseUrl,
      path: '/ccadmin/v1/orders',
    };
  },
};

export const PLATFORMS: readonly PlatformKind[] = [norcePlatform, oraclePlatform];
