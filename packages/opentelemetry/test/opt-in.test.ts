import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clientCredentials, createTokenManager, memoryStore } from '@authwire/core';
import { metrics, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { instrument, TOKEN_REQUEST_SPAN } from '../src/index.ts';
import { CLIENT_ID, CLIENT_SECRET, telemetry, tokenEndpoint } from './harness.ts';

afterEach(() => {
  trace.disable();
  metrics.disable();
});

async function plainManager() {
  const endpoint = await tokenEndpoint();
  const manager = createTokenManager(
    clientCredentials({ tokenUrl: endpoint.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    { origins: ['http://127.0.0.1:9'], store: memoryStore() },
  );
  onTestFinished(() => manager.close());
  return { endpoint, manager };
}

describe('opt-in', () => {
  it('uses the global tracer and meter providers by default', async () => {
    const otel = telemetry();
    trace.setGlobalTracerProvider(otel.tracerProvider);
    metrics.setGlobalMeterProvider(otel.meterProvider);
    const { manager } = await plainManager();
    const uninstall = instrument(manager);
    onTestFinished(uninstall);

    await manager.getToken();

    expect(otel.spans(TOKEN_REQUEST_SPAN)).toHaveLength(1);
    expect(await otel.sum('authwire.token.requests')).toBe(1);
  });

  it('works, recording nothing, when no OpenTelemetry SDK is registered', async () => {
    const { endpoint, manager } = await plainManager();
    const uninstall = instrument(manager);

    const tokens = await Promise.all(Array.from({ length: 10 }, () => manager.getToken()));

    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(endpoint.calls).toBe(1);
    uninstall();
  });

  it('leaves core free of OpenTelemetry: no import, no dependency', async () => {
    const core = join(import.meta.dirname, '../../core');
    const pkg = await readFile(join(core, 'package.json'), 'utf8');
    expect(pkg).not.toContain('@opentelemetry/');
    // Core's source is in folders (one per decision): every .ts file at any depth.
    const files = (await readdir(join(core, 'src'), { recursive: true })).filter((file) =>
      file.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      expect(await readFile(join(core, 'src', file), 'utf8')).not.toMatch(
        /(from|import\(|require\()\s*['"]@opentelemetry\//,
      );
    }
  });
});
