// A refresh caught on the wire: the Oracle mock has processed /refresh (and, when it revokes,
// killed the old token) but the manager has not read the answer yet. Requests meet it in two ways:
// some were sent with the old token before the refresh went out and arrive after it was processed
// ("in flight"), others arrive while it is on its way back ("arriving during the refresh").
import { authFetch, memoryStore } from '@authwire/core';
import { manualClock, oracleCommerceMock } from '@authwire/msw';
import { settle } from '@authwire/test-support';
import type { HttpHandler } from 'msw';
import { oracleCommerce } from '../src/index.ts';

export interface RaceOptions {
  /** The mock's switch: does /refresh revoke the token it replaces? */
  readonly refreshRevokesPrevious: boolean;
  /** Requests that got the old token before the refresh window and arrive after it was processed. */
  readonly inFlight: number;
  /** Callers arriving while the refresh's answer is on its way back. */
  readonly arriving: number;
}

export interface RaceCounts {
  /** Calls that ended with a 200. */
  readonly ok: number;
  /** 401s the API answered (each was healed by one retry). */
  readonly unauthorized: number;
  /** Every request the API received, retries included. */
  readonly apiRequests: number;
  /** Logins + refreshes during the race. */
  readonly tokenRequests: number;
  readonly refreshes: number;
  /** Arriving callers whose first API request went out only after the refresh answer was read. */
  readonly waited: number;
}

const BASE = 'https://example-admin.occa.ocs.oraclecloud.com';

/** Runs the race; `use` installs MSW handlers (e.g. `useMsw().use`). */
export async function refreshRace(
  use: (...handlers: HttpHandler[]) => void,
  options: RaceOptions,
): Promise<RaceCounts> {
  const clock = manualClock();
  const mock = oracleCommerceMock({
    baseUrl: BASE,
    now: clock.now,
    refreshRevokesPrevious: options.refreshRevokesPrevious,
  });
  use(...mock.handlers);

  let releaseRefresh: () => void = () => {};
  const refreshHeld = new Promise<void>((resolve) => {
    releaseRefresh = resolve;
  });
  let released = false;
  const auth = oracleCommerce({
    baseUrl: BASE,
    applicationKey: mock.applicationKeys[0]!,
    store: memoryStore(),
    clock,
    // A fixed window (a fifth of the 5-minute lifetime) so the race can be staged inside it.
    refreshWindowMs: 60_000,
    // The answer of /refresh is held after the mock processed it: the refresh is on the wire.
    fetch: async (input, init) => {
      const response = await globalThis.fetch(input, init);
      if (String(input instanceof Request ? input.url : input).endsWith('/refresh')) {
        await refreshHeld;
      }
      return response;
    },
  });
  const url = `${auth.apiUrl}/orders`;
  try {
    const first = await auth.getToken();
    const before = mock.control.counters;

    // The in-flight requests: they get the old token while it is still fresh, then travel slowly
    // enough to arrive only after the refresh was processed.
    let arrive: () => void = () => {};
    const arrival = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    const heldFetch: typeof fetch = async (input, init) => {
      await arrival;
      return globalThis.fetch(input, init);
    };
    const inFlight = Array.from({ length: options.inFlight }, () =>
      authFetch(auth, heldFetch)(url).then((r) => r.status),
    );
    await settle();
    // Into the refresh window, before the token expires: the window follows the observed latency
    // (adaptive) or the settings, so walk the clock forward until a lookup sends the refresh (for
    // a revoking provider, that lookup waits for it; the earlier ones got the cached token).
    let trigger: Promise<number> = Promise.resolve(200);
    for (
      let at = first.expiresAt - 62_000;
      at < first.expiresAt && mock.control.counters.refreshes === before.refreshes;
      at += 100
    ) {
      clock.set(at);
      trigger = auth.getToken().then(
        () => 200,
        () => 0,
      );
      await settle();
    }
    if (mock.control.counters.refreshes === before.refreshes) {
      throw new Error('the refresh was never sent');
    }
    arrive();

    // The arriving callers; each notes whether its first request went out after the release.
    let waited = 0;
    const arriving = Array.from({ length: options.arriving }, () => {
      let first = true;
      const own: typeof fetch = (input, init) => {
        if (first && released) waited += 1;
        first = false;
        return globalThis.fetch(input, init);
      };
      return authFetch(auth, own)(url).then((r) => r.status);
    });
    await settle(20);
    released = true;
    releaseRefresh();
    const statuses = await Promise.all([...inFlight, ...arriving]);
    await trigger;
    await settle();
    const after = mock.control.counters;
    return {
      ok: statuses.filter((s) => s === 200).length,
      unauthorized: after.api401s - before.api401s,
      apiRequests: after.apiCalls - before.apiCalls,
      tokenRequests: after.tokenEndpointCalls - before.tokenEndpointCalls,
      refreshes: after.refreshes - before.refreshes,
      waited,
    };
  } finally {
    releaseRefresh();
    await auth.close();
  }
}
