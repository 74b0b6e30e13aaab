// Runs every scenario for every adapter against every mock platform, in-process with MSW.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { ADAPTERS, type AdapterKind } from './clients.ts';
import { demoClock } from './clock.ts';
import { PLATFORMS, type PlatformKind } from './platforms.ts';
import { type Measurement, SCENARIOS, type Scenario } from './scenarios.ts';

/** Some other API the same client talks to: it must never see the token. */
export const FOREIGN_ORIGIN = 'https://elsewhere.example';

export interface ScenarioResult {
  readonly adapter: string;
  readonly platform: string;
  readonly scenario: string;
  readonly expectation: string;
  readonly note?: string;
  readonly measurement: Measurement | undefined;
  /** Violated expectations (or the error that stopped the scenario); empty when it passed. */
  readonly failures: readonly string[];
  readonly durationMs: number;
}

export interface DemoOptions {
  readonly adapters?: readonly AdapterKind[];
  readonly platforms?: readonly PlatformKind[];
  readonly scenarios?: readonly Scenario[];
  /** Called before each scenario starts (`result` undefined) and after it ends. */
  readonly onProgress?: (progress: {
    readonly index: number;
    readonly total: number;
    readonly adapter: string;
    readonly platform: string;
    readonly scenario: string;
    readonly result?: ScenarioResult;
  }) => void;
}

export async function runDemo(options: DemoOptions = {}): Promise<ScenarioResult[]> {
  const adapters = options.adapters ?? ADAPTERS;
  const platforms = options.platforms ?? PLATFORMS;
  const scenarios = options.scenarios ?? SCENARIOS;
  const total = adapters.length * platforms.length * scenarios.length;
  const results: ScenarioResult[] = [];

  const foreign = { total: 0, withToken: 0 };
  const foreignHandler = http.get(`${FOREIGN_ORIGIN}/*`, ({ request }) => {
    foreign.total += 1;
    const carriesAuth = [
      'authorization',
      'applicationid',
      'application-id',
      'x-shopify-access-token',
    ].some((name) => request.headers.has(name));
    if (carriesAuth) foreign.withToken += 1;
    return HttpResponse.json({ ok: true });
  });

  // Anything the mocks do not handle is an error: nothing leaves the process.
  const server = setupServer();
  server.listen({ onUnhandledFrame: 'error' });
  try {
    for (const adapter of adapters) {
      for (const platformKind of platforms) {
        for (const scenario of scenarios) {
          const labels = {
            adapter: adapter.name,
            platform: platformKind.name,
            scenario: scenario.name,
          };
          options.onProgress?.({ index: results.length, total, ...labels });
          const result = await runOne(
            adapter,
            platformKind,
            scenario,
            server,
            foreignHandler,
            foreign,
          );
          results.push(result);
          options.onProgress?.({ index: results.length, total, ...labels, result });
        }
      }
    }
  } finally {
    server.close();
  }
  return results;
}

async function runOne(
  adapter: AdapterKind,
  platformKind: PlatformKind,
  scenario: Scenario,
  server: ReturnType<typeof setupServer>,
  foreignHandler: ReturnType<typeof http.get>,
  foreign: { total: number; withToken: number },
): Promise<ScenarioResult> {
  const clock = demoClock();
  const platform = platformKind.create(clock);
  server.resetHandlers(...platform.handlers, foreignHandler);
  // After listen(): openapi-fetch captures globalThis.fetch when its client is created.
  const client = adapter.create(platform.auth, platform.baseUrl);
  const started = performance.now();
  const base = {
    adapter: adapter.name,
    platform: platformKind.name,
    scenario: scenario.name,
    expectation: scenario.expectation,
    ...(scenario.note ? { note: scenario.note } : {}),
  };
  try {
    const measurement = await scenario.run({
      platform,
      client,
      clock,
      foreignUrl: `${FOREIGN_ORIGIN}/status`,
      foreignSeen: () => ({ ...foreign }),
    });
    return {
      ...base,
      measurement,
      failures: scenario.check(measurement),
      durationMs: performance.now() - started,
    };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      ...base,
      measurement: undefined,
      failures: [message],
      durationMs: performance.now() - started,
    };
  } finally {
    await platform.auth.close();
  }
}
