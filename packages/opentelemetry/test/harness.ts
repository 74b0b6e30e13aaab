// Test harness: a real manager against a loopback token endpoint, an in-memory OTel tracer and meter.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Clock,
  clientCredentials,
  createTokenManager,
  memoryStore,
  type TokenManager,
} from '@authwire/core';
import { serve } from '@authwire/test-support';
import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { expect, onTestFinished } from 'vitest';
import { instrument } from '../src/index.ts';

export const CLIENT_ID = 'otel-client';
export const CLIENT_SECRET = 'otel-s3cret-DO-NOT-EXPORT';

/** A reader collected by hand: no timers, the test decides when. */
class ManualReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface Telemetry {
  readonly exporter: InMemorySpanExporter;
  readonly tracerProvider: BasicTracerProvider;
  readonly meterProvider: MeterProvider;
  spans(name?: string): ReadableSpan[];
  collect(): Promise<ResourceMetrics>;
  /** The data points of metric `name` (none when it was never recorded). */
  points(name: string): Promise<DataPoint<unknown>[]>;
  /** Sum of a counter's points whose attributes include `match`. */
  sum(name: string, match?: Attributes): Promise<number>;
  /** Count and sum of a histogram's points whose attributes include `match`. */
  histogram(name: string, match?: Attributes): Promise<{ count: number; sum: number }>;
  /** Fails when the client secret or any access token appears anywhere in what was exported. */
  expectNoSecrets(accessTokens: readonly string[]): Promise<void>;
}

/**
 * `delta` where a test needs to see a series stop: with cumulative temporality the SDK keeps
 * exporting the last value of an observable gauge's series after its callback stops observing it.
 */
export function telemetry({
  temporality = 'cumulative',
}: {
  temporality?: 'cumulative' | 'delta';
} = {}): Telemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const reader = new ManualReader(
    temporality === 'delta'
      ? { aggregationTemporalitySelector: () => AggregationTemporality.DELTA }
      : {},
  );
  const meterProvider = new MeterProvider({ readers: [reader] });
  onTestFinished(async () => {
    await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
  });
  const collect = async () => (await reader.collect()).resourceMetrics;
  const points = async (name: string) => {
    const all = (await collect()).scopeMetrics.flatMap((scope) => scope.metrics);
    return (all.find((metric) => metric.descriptor.name === name)?.dataPoints ??
      []) as DataPoint<unknown>[];
  };
  const matching = async (name: string, match: Attributes) =>
    (await points(name)).filter((point) =>
      Object.entries(match).every(([key, value]) => point.attributes[key] === value),
    );
  return {
    exporter,
    tracerProvider,
    meterProvider,
    spans: (name) =>
      exporter.getFinishedSpans().filter((span) => name === undefined || span.name === name),
    collect,
    points,
    async sum(name, match = {}) {
      return (await matching(name, match)).reduce((total, p) => total + (p.value as number), 0);
    },
    async histogram(name, match = {}) {
      let count = 0;
      let sum = 0;
      for (const point of await matching(name, match)) {
        const value = point.value as Histogram;
        count += value.count;
        sum += value.sum ?? 0;
      }
      return { count, sum };
    },
    async expectNoSecrets(accessTokens) {
      const spans = exporter.getFinishedSpans().map((span) => ({
        name: span.name,
        attributes: span.attributes,
        status: span.status,
        events: span.events,
        links: span.links,
        resource: span.resource.attributes,
      }));
      const dump = JSON.stringify({ spans, metrics: await collect() });
      expect(dump).not.toContain(CLIENT_SECRET);
      for (const accessToken of accessTokens) expect(dump).not.toContain(accessToken);
    },
  };
}

/** What the token endpoint answers next; `token` issues `tok-N-<random>` numbered from 1. */
export type Reply =
  | { readonly kind: 'token'; readonly expiresIn?: number }
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Record<string, string>;
    };

export interface TokenEndpoint {
  readonly url: string;
  readonly origin: string;
  /** Replies to use, in order, before falling back to `{ kind: 'token' }`. */
  readonly replies: Reply[];
  /** Every access token issued so far. */
  readonly issued: string[];
  calls: number;
}

/** A token endpoint on 127.0.0.1 that checks the client credentials and answers `replies`. */
export async function tokenEndpoint(): Promise<TokenEndpoint> {
  const state = { replies: [] as Reply[], issued: [] as string[], calls: 0 };
  const origin = await serve(async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    state.calls += 1;
    const form = new URLSearchParams(body);
    const reply: Reply =
      form.get('client_secret') === CLIENT_SECRET
        ? (state.replies.shift() ?? { kind: 'token' })
        : { kind: 'error', status: 401, body: { error: 'invalid_client' } };
    if (reply.kind === 'token') {
      const accessToken = `tok-${state.issued.length + 1}-${Math.random().toString(36).slice(2)}`;
      state.issued.push(accessToken);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: reply.expiresIn ?? 3600,
        }),
      );
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.body ?? { error: 'temporarily_unavailable' }));
  });
  return Object.assign(state, { origin, url: `${origin}/oauth2/token` });
}

/** An API on 127.0.0.1 that accepts only the tokens `accepts` says yes to (401 otherwise). */
export async function api(accepts: (accessToken: string) => boolean): Promise<string> {
  return serve((req, res) => {
    const accessToken = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    res.writeHead(accepts(accessToken) ? 200 : 401, { 'content-type': 'application/json' });
    res.end('{}');
  });
}

export interface ManagerSetup {
  readonly endpoint: TokenEndpoint;
  readonly origins: readonly string[];
  readonly clientSecret?: string;
  readonly maxAttempts?: number;
  readonly maxRetryAfterMs?: number;
  readonly clock?: Clock;
}

/** A real manager (own memory store) instrumented into `otel`; both torn down after the test. */
export function instrumentedManager(
  otel: Telemetry,
  setup: ManagerSetup,
): { manager: TokenManager; uninstall: () => void } {
  const manager = createTokenManager(
    clientCredentials({
      tokenUrl: setup.endpoint.url,
      clientId: CLIENT_ID,
      clientSecret: setup.clientSecret ?? CLIENT_SECRET,
    }),
    {
      origins: setup.origins,
      store: memoryStore(),
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 5,
      ...(setup.maxAttempts === undefined ? {} : { maxAttempts: setup.maxAttempts }),
      ...(setup.maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs: setup.maxRetryAfterMs }),
      ...(setup.clock === undefined ? {} : { clock: setup.clock }),
    },
  );
  const uninstall = instrument(manager, {
    tracerProvider: otel.tracerProvider,
    meterProvider: otel.meterProvider,
  });
  onTestFinished(async () => {
    uninstall();
    await manager.close();
  });
  return { manager, uninstall };
}

/**
 * Fake time. `advance` moves it on and wakes the sleepers it passes. A sleep of at most
 * `instantSleepMs` moves the clock on by itself at once (lock polls, back-off); longer ones (a
 * request's timeout) wait for `advance`, so they never fire on their own.
 */
export function fakeClock({ instantSleepMs = -1 }: { instantSleepMs?: number } = {}): Clock & {
  elapsed: number;
  advance(ms: number): void;
} {
  const start = Date.now();
  const sleepers = new Set<{ until: number; wake: () => void }>();
  const clock = {
    elapsed: 0,
    now: () => start + clock.elapsed,
    random: () => 0.5,
    advance(ms: number) {
      clock.elapsed += ms;
      for (const sleeper of sleepers) if (sleeper.until <= clock.now()) sleeper.wake();
    },
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      if (ms <= instantSleepMs) {
        clock.elapsed += ms;
        return Promise.resolve();
      }
      return new Promise((resolve, reject) => {
        const sleeper = {
          until: clock.now() + ms,
          wake: () => {
            sleepers.delete(sleeper);
            resolve();
          },
        };
        sleepers.add(sleeper);
        signal?.addEventListener('abort', () => {
          sleepers.delete(sleeper);
          reject(signal.reason);
        });
      });
    },
  };
  return clock;
}
