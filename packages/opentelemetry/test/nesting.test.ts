import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TOKEN_REQUEST_SPAN } from '../src/index.ts';
import { fakeClock, instrumentedManager, telemetry, tokenEndpoint } from './harness.ts';

// Node's fetch is undici: its diagnostics channels give the HTTP client spans of token requests.
// (It generates spans only when constructed enabled; it is disabled again at the end of its test.)
const undici = new UndiciInstrumentation();
undici.disable();
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  undici.disable();
  context.disable();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('span nesting', () => {
  it('puts the token endpoint’s HTTP span under authwire.token.request, under the caller’s span', async () => {
    const otel = telemetry();
    undici.setTracerProvider(otel.tracerProvider);
    undici.enable();
    const endpoint = await tokenEndpoint();
    const { manager } = instrumentedManager(otel, { endpoint, origins: ['http://127.0.0.1:9'] });
    const tracer = otel.tracerProvider.getTracer('test');

    await tracer.startActiveSpan('GET /checkout', async (caller) => {
      // A herd inside one request: still one token request, one HTTP span.
      await Promise.all(Array.from({ length: 20 }, () => manager.getToken()));
      caller.end();
    });
    undici.disable();

    const [caller] = otel.spans('GET /checkout');
    const [tokenRequest] = otel.spans(TOKEN_REQUEST_SPAN);
    const http = otel.spans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(http).toHaveLength(1);
    expect(http[0]!.attributes['url.full']).toBe(endpoint.url);
    expect(parentOf(http[0]!)).toBe(tokenRequest!.spanContext().spanId);
    expect(parentOf(tokenRequest!)).toBe(caller!.spanContext().spanId);
    const traceIds = new Set([caller, tokenRequest, http[0]].map((s) => s!.spanContext().traceId));
    expect(traceIds.size).toBe(1);
    await otel.expectNoSecrets(endpoint.issued);
  });

  it('starts a root span when no span is active, and every retry is a sibling under the caller', async () => {
    const otel = telemetry();
    const endpoint = await tokenEndpoint();
    endpoint.replies.push({ kind: 'error', status: 503 });
    const { manager } = instrumentedManager(otel, { endpoint, origins: ['http://127.0.0.1:9'] });
    const tracer = otel.tracerProvider.getTracer('test');

    await manager.getToken({ forceRefresh: true }); // no active span: a root
    const rootSpans = otel.spans(TOKEN_REQUEST_SPAN);
    expect(rootSpans).toHaveLength(2);
    for (const span of rootSpans) expect(span.parentSpanContext).toBeUndefined();

    endpoint.replies.push({ kind: 'error', status: 503 });
    otel.exporter.reset();
    await tracer.startActiveSpan('job', async (job) => {
      await manager.getToken({ forceRefresh: true });
      job.end();
    });
    const [job] = otel.spans('job');
    const attempts = otel.spans(TOKEN_REQUEST_SPAN);
    expect(attempts.map((s) => s.attributes['authwire.attempt'])).toEqual([1, 2]);
    for (const span of attempts) expect(parentOf(span)).toBe(job!.spanContext().spanId);
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('gives a background refresh its own trace, linked to the request that triggered it', async () => {
    const otel = telemetry();
    const endpoint = await tokenEndpoint();
    const clock = fakeClock();
    const { manager } = instrumentedManager(otel, {
      endpoint,
      origins: ['http://127.0.0.1:9'],
      clock,
    });
    const tracer = otel.tracerProvider.getTracer('test');
    const first = await manager.getToken();
    clock.advance(3_550_000); // 50 s of 3600 left: inside the refresh window, still valid

    const served = await tracer.startActiveSpan('GET /cart', async (request) => {
      const token = await manager.getToken(); // served from cache; the refresh runs behind it
      request.end();
      return token;
    });
    await vi.waitFor(() => expect(otel.spans(TOKEN_REQUEST_SPAN)).toHaveLength(2));

    expect(served.accessToken).toBe(first.accessToken);
    const [request] = otel.spans('GET /cart');
    const refresh = otel.spans(TOKEN_REQUEST_SPAN)[1]!;
    expect(refresh.attributes).toMatchObject({
      'authwire.reason': 'refresh',
      'authwire.background': true,
      'authwire.outcome': 'success',
    });
    expect(refresh.parentSpanContext).toBeUndefined();
    expect(refresh.spanContext().traceId).not.toBe(request!.spanContext().traceId);
    expect(refresh.links.map((link) => link.context.spanId)).toEqual([
      request!.spanContext().spanId,
    ]);
    expect(await otel.sum('authwire.token.requests', { 'authwire.background': true })).toBe(1);
  });
});
