// What a refresh costs callers, with Oracle's /refresh revoking the old token and without.
// These hold for today's manager and for one that holds callers during a revoking refresh.
import { useMsw } from '@authwire/test-support';
import { describe, expect, it } from 'vitest';
import { refreshRace } from './refresh-race.ts';

const msw = useMsw();

describe('20 callers arriving during a refresh, 5 requests in flight when it is sent', () => {
  it('without revocation: no 401, one token request, every call succeeds', async () => {
    const counts = await refreshRace(msw.use, {
      refreshRevokesPrevious: false,
      inFlight: 5,
      arriving: 20,
    });
    expect(counts).toMatchObject({
      ok: 25,
      unauthorized: 0,
      apiRequests: 25,
      tokenRequests: 1,
      refreshes: 1,
    });
  });

  it('with revocation: every call succeeds, each 401 healed by one retry without another token request', async () => {
    const counts = await refreshRace(msw.use, {
      refreshRevokesPrevious: true,
      inFlight: 5,
      arriving: 20,
    });
    expect(counts).toMatchObject({ ok: 25, tokenRequests: 1, refreshes: 1 });
    // The in-flight requests left with the old token before the refresh was processed: each one
    // meets the revocation, whatever the manager does.
    expect(counts.unauthorized).toBeGreaterThanOrEqual(5);
    expect(counts.unauthorized).toBeLessThanOrEqual(25);
    expect(counts.apiRequests).toBe(25 + counts.unauthorized);
  });
});
