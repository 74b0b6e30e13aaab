// What every behaviour file of the suite gets: the subject's driver factory, the MSW server, the platform.
import type { TokenEvent, TokenManager } from '@authwire/core';
import type { ApiRequestRecord } from '@authwire/msw';
import { HttpResponse, http } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
  type ManagerOverrides,
  type Platform,
  type PlatformKind,
  type TestClock,
  testClock,
} from '../../drivers/platforms.ts';
import type { Capabilities, Driver, Subject } from '../../drivers/types.ts';

/** An origin no manager is configured for. */
export const FOREIGN = 'https://elsewhere.example';

/** What a foreign endpoint saw of the credentials. */
export interface Probe {
  readonly authorization: string | null;
  readonly applicationid: string | null;
  /** The platform's own token header (Shopify's), when it is not Authorization. */
  readonly token: string | null;
}

export interface SuiteContext {
  readonly subject: Subject;
  readonly capabilities: Capabilities;
  readonly server: SetupServer;
  /** The subject's client for this test's manager. */
  driver(): Driver;
  /** The subject's client for any value passed as the manager. */
  driverFor(auth: TokenManager): Driver;
  /** This test's platform; `setup` replaces it with one built on other manager options. */
  readonly platform: Platform;
  readonly clock: TestClock;
  setup(overrides?: ManagerOverrides): Platform;
  /** Every event this test's manager emitted. */
  readonly events: readonly TokenEvent[];
  /** What `${FOREIGN}/probe` saw, in order. */
  readonly probes: readonly Probe[];
  /** The mock's records of API calls to `path`. */
  records(path: string): ApiRequestRecord[];
  /** The path of the platform's protected GET endpoint. */
  apiPath(): string;
}

/** One MSW server per test file, listening for the whole file. */
export function conformanceServer(): SetupServer {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());
  return server;
}

/** Registers the per-test hooks of one platform and returns the context the behaviour files read. */
export function platformContext(
  server: SetupServer,
  kind: PlatformKind,
  subject: Subject,
  capabilities: Capabilities,
): SuiteContext {
  let clock = testClock();
  let platform: Platform;
  const managers: TokenManager[] = [];
  const events: TokenEvent[] = [];
  const probes: Probe[] = [];
  // Unprotected endpoints: what reached a foreign origin, a public endpoint, a redirect.
  const probe = http.all(`${FOREIGN}/probe`, ({ request }) => {
    const seen = {
      authorization: request.headers.get('authorization'),
      applicationid: request.headers.get('applicationid'),
      token: request.headers.get(platform.tokenHeader),
    };
    probes.push(seen);
    return HttpResponse.json(seen);
  });
  const setup = (overrides?: ManagerOverrides): Platform => {
    clock = testClock();
    events.length = 0;
    platform = kind.create({
      now: clock.now,
      manager: { clock, onEvent: (event) => events.push(event), ...overrides },
    });
    managers.push(platform.auth);
    server.resetHandlers(probe, ...platform.handlers);
    return platform;
  };
  beforeEach(() => {
    probes.length = 0;
    setup();
  });
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((auth) => auth.close()));
  });
  return {
    subject,
    capabilities,
    server,
    driver: () => subject.create(platform.auth),
    driverFor: (auth) => subject.create(auth),
    get platform() {
      return platform;
    },
    get clock() {
      return clock;
    },
    setup,
    events,
    probes,
    records: (path) => platform.control.apiRequests.filter((r) => r.path === path),
    apiPath: () => new URL(platform.apiUrl).pathname,
  };
}
