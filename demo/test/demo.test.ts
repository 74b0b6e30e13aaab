// Runs the demo's scenarios programmatically, so CI fails when the numbers `pnpm demo` prints change.
import { describe, expect, it } from 'vitest';
import type { AdapterKind } from '../src/clients.ts';
import { printReport, REPORT_WIDTH } from '../src/report.ts';
import { runDemo, type ScenarioResult } from '../src/run-demo.ts';
import { coldStart, foreignOrigin, unauthorizedHerd } from '../src/scenarios.ts';

const byName = (results: readonly ScenarioResult[], scenario: string) =>
  results.filter((result) => result.scenario === scenario);

describe('pnpm demo', () => {
  it('passes every scenario for every adapter and provider, with the documented numbers', {
    timeout: 180_000, // 5 platforms × 5 adapters × 4 scenarios on a shared 2-core machine
  }, async () => {
    const results = await runDemo();
    expect(results).toHaveLength(4 * 5 * 4);
    expect(results.filter((r) => r.failures.length > 0)).toEqual([]);

    for (const { measurement } of byName(results, 'cold start')) {
      expect(measurement).toMatchObject({
        calls: 100,
        ok: 100,
        tokenRequests: 1,
        apiRequests: 100,
        unauthorized: 0,
      });
    }
    for (const { measurement } of byName(results, '401 herd')) {
      expect(measurement).toMatchObject({
        calls: 100,
        ok: 100,
        tokenRequests: 1,
        apiRequests: 200,
        unauthorized: 100,
      });
    }
    for (const { platform, measurement } of byName(results, 'refresh-ahead')) {
      // 15 simulated minutes; tokens are refreshed with a fifth of their life left:
      // Norce, commercetools, SLAS and Shopify (600 s in the demo) once, at 8 min; Oracle (300 s)
      // at 4, 8 and 12 min — the last one only just, since the demo clock is wall time plus the
      // skipped minutes, so allow 2 or 3.
      expect(measurement).toMatchObject({ calls: 150, ok: 150 });
      const refreshes = measurement?.refreshAhead ?? 0;
      const oracle = platform === 'Oracle';
      if (!oracle) expect(refreshes).toBe(1);
      else expect([2, 3]).toContain(refreshes);
      // No refresh is refused (none is sent with a dead token) and none meets a request.
      expect(measurement?.refused).toBe(0);
      expect(measurement?.tokenRequests).toBe(1 + refreshes);
      expect(measurement?.unauthorized).toBe(0);
      // The others refresh in the background; Oracle's revoking refresh holds its callers.
      expect(measurement?.refreshHeld).toBe(oracle ? refreshes : 0);
    }
    for (const { measurement } of byName(results, 'foreign origin')) {
      expect(measurement).toMatchObject({
        calls: 20,
        ok: 20,
        tokenRequests: 1,
        foreign: 10,
        foreignWithToken: 0,
      });
    }

    // The report fits 100 columns, with plain-word headers and no escape codes in a log.
    let printed = '';
    expect(printReport({ write: (text: string) => (printed += text) }, results, 1)).toBe(true);
    const lines = printed.split('\n');
    expect(lines.filter((line) => line.length > REPORT_WIDTH)).toEqual([]);
    expect(printed).not.toContain('\x1b');
    expect(printed).toMatch(/token\s+API\s+401s\s+refreshed/);
    expect(printed).not.toMatch(/\b(req|got|drop|heal) \d/);
    expect(lines).toContain('axios');
  });

  it('reports a scenario whose expectation is violated, and the report says it failed', async () => {
    // An "adapter" that forgets the token: the API answers 401 and nothing heals it.
    const noAuth: AdapterKind = {
      name: 'no-auth',
      create: () => ({ get: async (url) => (await fetch(url)).status }),
    };
    const results = await runDemo({
      adapters: [noAuth],
      scenarios: [coldStart, unauthorizedHerd, foreignOrigin],
    });
    expect(results.every((r) => r.failures.length > 0)).toBe(true);
    expect(results[0]?.failures).toContain('token requests: expected 1, got 0');

    let printed = '';
    const passed = printReport({ write: (text: string) => (printed += text) }, results, 1);
    expect(passed).toBe(false);
    expect(printed).toContain('✗ FAIL');
    expect(printed).toMatch(/scenarios failed/);
  });
});
