// The refresh-ahead scenario gives one answer per provider, whichever adapter runs it.
//
// Before: the demo moved its simulated clock on as soon as the mock had *answered* every token
// request it had *received*. A background Oracle /refresh sent at 8:00 but not yet read by the
// mock was invisible, so two 30 s waves were skipped while it was on its way; the mock read it at
// 9:00, after its token had expired, and refused it (the provider then logged in): axios and got
// showed 6 token requests with 2 refused, ky and openapi-fetch 4, depending on how fast each
// client's transport reached MSW. Now the clock waits for token requests in flight.
import { describe, expect, it } from 'vitest';
import { oraclePlatform, PLATFORMS } from '../src/platforms.ts';
import { runDemo } from '../src/run-demo.ts';
import { refreshAhead } from '../src/scenarios.ts';

describe('demo refresh-ahead', () => {
  it('never sends a refresh the mock refuses, for any adapter', { timeout: 30_000 }, async () => {
    const results = await runDemo({ platforms: [oraclePlatform], scenarios: [refreshAhead] });
    expect(results).toHaveLength(4);
    for (const { adapter, measurement, failures } of results) {
      expect({ adapter, refused: measurement?.refused, failures }).toEqual({
        adapter,
        refused: 0,
        failures: [],
      });
      expect(measurement?.tokenRequests).toBe(1 + (measurement?.refreshAhead ?? 0));
    }
  });

  it('counts the same token requests and 401s for every adapter', {
    timeout: 60_000,
  }, async () => {
    const results = await runDemo({ platforms: PLATFORMS, scenarios: [refreshAhead] });
    for (const platform of PLATFORMS) {
      const rows = results.filter((r) => r.platform === platform.name);
      const counts = rows.map(({ measurement: m }) => ({
        tokenRequests: m?.tokenRequests,
        unauthorized: m?.unauthorized,
        refused: m?.refused,
        apiRequests: m?.apiRequests,
      }));
      expect(new Set(counts.map((c) => JSON.stringify(c))).size, platform.name).toBe(1);
      expect(counts[0]?.refused).toBe(0);
    }
  });
});
