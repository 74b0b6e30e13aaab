// Metric attributes come from a bounded set: 401s after redirects to any number of hosts (or
// answers whose URL is garbage) never make one series per host.
import { createTokenManager, memoryStore } from '@authwire/core';
import { requestAuth } from '@authwire/core/kit';
import { describe, expect, it } from 'vitest';
import { instrument } from '../src/index.ts';
import { OTHER_SERVER } from '../src/metrics.ts';
import { instrumentedManager, telemetry, tokenEndpoint } from './harness.ts';

const SURFACED = 'authwire.unauthorized.surfaced';
const HEALED = 'authwire.unauthorized.healed';

describe('metric cardinality', () => {
  it('does key authwire.unauthorized.surfaced by the API origin, never by redirect host', async () => {
    const otel = telemetry();
    const endpoint = await tokenEndpoint();
    const api = 'https://api.example.com';
    const { manager } = instrumentedManager(otel, { endpoint, origins: [api] });
    const seam = requestAuth(manager);
    const headers = { ...(await seam.authorize({ url: `${api}/orders` })) };

    // 500 redirects to 500 hosts that answer 401, plus URLs an attacker shapes.
    const hostile = [
      ...Array.from({ length: 500 }, (_, i) => `https://evil-${i}.example.net/x`),
      'https://api.example.com.evil.example/x',
      'http://api.example.com/x',
      'https://api.example.com:8443/x',
      'not a url',
      `https://${'a'.repeat(200)}.example/x`,
    ];
    for (const url of hostile) {
      expect(await seam.onResponse({ url: `${api}/orders`, headers }, { status: 401, url })).toBe(
        undefined,
      );
    }
    // One of our own, answered twice (the retry gets a 401 again).
    const request = { url: `${api}/orders`, headers };
    const retry = await seam.onResponse(request, { status: 401 });
    await seam.onResponse(
      { ...request, headers: { ...retry?.headers }, call: request },
      { status: 401 },
    );

    const servers = new Set(
      (await otel.points(SURFACED)).map((p) => p.attributes['server.address']),
    );
    expect(servers).toEqual(new Set([OTHER_SERVER, 'api.example.com']));
    expect(await otel.sum(SURFACED, { 'server.address': OTHER_SERVER })).toBe(hostile.length);
    expect(await otel.sum(SURFACED, { 'server.address': 'api.example.com' })).toBe(1);
    const healed = (await otel.points(HEALED)).map((p) => p.attributes['server.address']);
    expect(healed).toEqual(['api.example.com']);
    // Series: at most (origins + 1) × reasons, whatever the servers did.
    expect((await otel.points(SURFACED)).length).toBeLessThanOrEqual(2 * 4);
  });
});

describe('error.type on metrics', () => {
  it("does keep a custom provider's per-error codes out of the series (one _OTHER series)", async () => {
    const otel = telemetry();
    let n = 0;
    const auth = createTokenManager(
      {
        key: 'custom-codes',
        fetchToken: async () => {
          n += 1;
          throw Object.assign(new Error('refused'), { code: `E_REQ_${n}` });
        },
      },
      { origins: ['https://api.example.com'], store: memoryStore(), maxAttempts: 1 },
    );
    const stop = instrument(auth, {
      tracerProvider: otel.tracerProvider,
      meterProvider: otel.meterProvider,
    });
    for (let i = 0; i < 200; i++) await auth.getToken().catch(() => undefined);
    stop();
    await auth.close();
    const types = new Set(
      (await otel.points('authwire.token.requests')).map((p) => p.attributes['error.type']),
    );
    expect(types).toEqual(new Set(['_OTHER']));
    expect(await otel.sum('authwire.token.requests')).toBe(200);
  });
});
