// A provider declares that its refresh revokes the token it replaces (the Oracle preset does), and
// the manager stops handing out the old token once the refresh is due, holding new callers for
// that round trip (issue 16). Before that core change: 20 × 401 and 40 API calls for 20 callers
// arriving during the refresh, 25 × 401 with 5 more in flight.
import { useMsw } from '@authwire/test-support';
import { describe, expect, it } from 'vitest';
import { refreshRace } from './refresh-race.ts';

const msw = useMsw();

describe('a revoking refresh holds the callers that arrive while it is on the wire', () => {
  it('20 callers arriving during the refresh: 0 × 401, each waits for the new token', async () => {
    const counts = await refreshRace(msw.use, {
      refreshRevokesPrevious: true,
      inFlight: 0,
      arriving: 20,
    });
    expect(counts).toEqual({
      ok: 20,
      unauthorized: 0,
      apiRequests: 20,
      tokenRequests: 1,
      refreshes: 1,
      waited: 20,
    });
  });

  it('401s per refresh ≤ requests in flight when it was sent (5 in flight, 20 arriving)', async () => {
    const counts = await refreshRace(msw.use, {
      refreshRevokesPrevious: true,
      inFlight: 5,
      arriving: 20,
    });
    expect(counts.ok).toBe(25);
    expect(counts.unauthorized).toBeLessThanOrEqual(5);
    expect(counts.apiRequests).toBe(25 + counts.unauthorized);
    expect(counts.tokenRequests).toBe(1);
    expect(counts.waited).toBe(20);
  });

  it('a server that does not revoke costs the same waits (the preset is pessimistic) and no 401', async () => {
    const counts = await refreshRace(msw.use, {
      refreshRevokesPrevious: false,
      inFlight: 5,
      arriving: 20,
    });
    expect(counts).toEqual({
      ok: 25,
      unauthorized: 0,
      apiRequests: 25,
      tokenRequests: 1,
      refreshes: 1,
      waited: 20,
    });
  });
});
