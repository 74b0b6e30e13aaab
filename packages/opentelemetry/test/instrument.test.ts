import {
  authFetch,
  clientCredentials,
  createTokenManager,
  memoryStore,
  type TokenStore,
} from '@authwire/core';
import type { RateLimit } from '@authwire/core/kit';
import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { instrument, TOKEN_REQUEST_SPAN } from '../src/index.ts';
import {
  api,
  CLIENT_ID,
  CLIENT_SECRET,
  instrumentedManager,
  type Telemetry,
  type TokenEndpoint,
  telemetry,
  tokenEndpoint,
} from './harness.ts';

const REQUESTS = 'authwire.token.requests';
const DURATION = 'authwire.token.request.duration';
const API_ORIGIN_PLACEHOLDER = 'http://127.0.0.1:9';

describe('a cold herd', () => {
  it('makes one token-request span and counts one request for 200 concurrent getToken() calls', async () => {
    const otel = telemetry();
    const endpoint = await tokenEndpoint();
    const { manager } = instrumentedManager(otel, {
      endpoint,
      origins: [API_ORIGIN_PLACEHOLDER],
    });

    const tokens = await Promise.all(Array.from({ length: 200 }, () => manager.getToken()));

    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(endpoint.calls).toBe(1);
    const spans = otel.spans(TOKEN_REQUEST_SPAN);
    expect(spans).toHaveLength(1);
    expect(manager.label).toBe(`client-credentials ${new URL(endpoint.url).host}/oauth2/token`);
    expect(spans[0]!.attributes).toMatchObject({
      'authwire.provider': 'client-credentials',
      'authwire.endpoint': `${new URL(endpoint.url).host}/oauth2/token`,
      'authwire.reason': 'initial',
      'authwire.attempt': 1,
      'authwire.background': false,
      'authwire.outcome': 'success',
    });
    expect(spans[0]!.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(await otel.sum(REQUESTS)).toBe(1);
    expect(
      await otel.sum(REQUESTS, { 'authwire.outcome': 'success', 'authwire.reason': 'initial' }),
    ).toBe(1);
    const duration = await otel.histogram(DURATION, { 'authwire.outcome': 'success' });
    expect(duration.count).toBe(1);
    expect(duration.sum).toBeGreaterThan(0);
    expect(duration.sum).toBeLessThan(5); // seconds, not milliseconds
    await otel.expectNoSecrets(endpoint.issued);
  });

  it('reports the time to expiry of the token it fetched, in seconds, and drops it on close', async () => {
    const otel = telemetry({ temporality: 'delta' });
    const endpoint = await tokenEndpoint();
    endpoint.replies.push({ kind: 'token', expiresIn: 1800 });
    const { manager } = instrumentedManager(otel, { endpoint, origins: [API_ORIGIN_PLACEHOLDER] });
    expect(await otel.points('authwire.token.time_to_expiry')).toEqual([]);

    await manager.getToken();

    const [point] = await otel.points('authwire.token.time_to_expiry');
    expect(point!.value as number).toBeGreaterThan(1790);
    expect(point!.value as number).toBeLessThanOrEqual(1800);
    expect(point!.attributes).toEqual({
      'authwire.provider': 'client-credentials',
      'authwire.endpoint': `${new URL(endpoint.url).host}/oauth2/token`,
    });
    await manager.close();
    expect(await otel.points('authwire.token.time_to_expiry')).toEqual([]);
  });
});

describe('a 401 herd', () => {
  it('makes one token-request span and counts every healed 401', async () => {
    const otel = telemetry();
    const endpoint = await tokenEndpoint();
    let rejectFirst = false;
    const origin = await api((token) => !(rejectFirst && token === endpoint.issued[0]));
    const { manager } = instrumentedManager(otel, { endpoint, origins: [origin] });
    const fetchWithAuth = authFetch(manager);
    expect((await fetchWithAuth(`${origin}/orders`)).status).toBe(200);
    rejectFirst = true; // the server revokes the token every request below is sent with

    const herd = 50;
    const responses = await Promise.all(
      Array.from({ length: herd }, (_, i) => fetchWithAuth(`${origin}/orders/${i}`)),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(herd).fill(200));
    expect(endpoint.calls).toBe(2);
    const healing = otel
      .spans(TOKEN_REQUEST_SPAN)
      .filter((span) => span.attributes['authwire.reason'] === 'unauthorized');
    expect(healing).toHaveLength(1);
    expect(healing[0]!.attributes['authwire.outcome']).toBe('success');
    // Decision: one heal per 401 answer retried (what a caller was spared), not per token request.
    expect(await otel.sum('authwire.unauthorized.healed')).toBe(herd);
    expect(await otel.sum('authwire.unauthorized.healed', { 'server.address': '127.0.0.1' })).toBe(
      herd,
    );
    expect(await otel.sum('authwire.unauthorized.surfaced')).toBe(0);
    expect(await otel.sum('authwire.token.invalidations')).toBe(1);
    expect(await otel.sum(REQUESTS, { 'authwire.reason': 'unauthorized' })).toBe(1);
    expect(await otel.sum(REQUESTS)).toBe(2);
    // No URL path in metric labels: 50 different paths, one series.
    expect(await otel.points('authwire.unauthorized.healed')).toHaveLength(1);
    await otel.expectNoSecrets(endpoint.issued);
  });

  it('counts a 401 that survives the retry as surfaced (why: retried)', async () => {
    const otel = telemetry();
    const endpoint = await tokenEndpoint();
    const origin = await api(() => false);
    const { manager } = instrumentedManager(otel, { endpoint, origins: [origin] });

    const response = await authFetch(manager)(`${origin}/orders`);

    expect(response.status).toBe(401);
    expect(await otel.sum('authwire.unauthorized.healed')).toBe(1);
    expect(await otel.sum('authwire.unauthorized.surfaced', { 'authwire.why': 'retried' })).toBe(1);
    await otel.expectNoSecrets(endpoint.issued);
  });
});

describe('failures', () => {
  it('marks an invalid_client refusal as a failed span and counts it by outcome', async () => {
    const otel = telemetry();
    const endpoint = await tokenEndpoint();
    const { manager } = instrumentedManager(otel, {
      endpoint,
      origins: [API_ORIGIN_PLACEHOLDER],
      clientSecret: 'wrong-s3cret-DO-NOT-EXPORT',
    });

    await expect(manager.getToken()).rejects.toMatchObject({ code: 'token_request_failed' });

    const spans = otel.spans(TOKEN_REQUEST_SPAN);
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[0]!.attributes).toMatchObject({
      'authwire.outcome': 'failure',
      'error.type': 'token_request_failed',
      'http.response.status_code': 401,
      'authwire.oauth.error': 'invalid_client',
    });
    expect(
      await otel.sum(REQUESTS, {
        'authwire.outcome': 'failure',
        'error.type': 'token_request_failed',
        'http.response.status_code': 401,
        'authwire.will_retry': false,
      }),
    ).toBe(1);
    expect(await otel.sum(REQUESTS, { 'authwire.outcome': 'success' })).toBe(0);
    const dump = JSON.stringify(otel.spans().map((s) => [s.attributes, s.status]));
    expect(dump).not.toContain('wrong-s3cret-DO-NOT-EXPORT');
    await otel.expectNoSecrets(endpoint.issued);
  });

  it('makes one failed span per attempt when retries on 503 run out', async () => {
    const otel = telemetry();
    const endpoint = await tokenEndpoint();
    for (let i = 0; i < 3; i++) endpoint.replies.push({ kind: 'error', status: 503 });
    const { manager } = instrumentedManager(otel, {
      endpoint,
      origins: [API_ORIGIN_PLACEHOLDER],
      maxAttempts: 3,
    });

    await expect(manager.getToken()).rejects.toMatchObject({ code: 'token_request_failed' });

    const spans = otel.spans(TOKEN_REQUEST_SPAN);
    expect(spans.map((s) => s.attributes['authwire.attempt'])).toEqual([1, 2, 3]);
    for (const span of spans) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes).toMatchObject({
        'authwire.outcome': 'failure',
        'error.type': 'token_request_failed',
        'http.response.status_code': 503,
      });
    }
    const failed = { 'authwire.outcome': 'failure', 'http.response.status_code': 503 };
    expect(await otel.sum(REQUESTS, { ...failed, 'authwire.will_retry': true })).toBe(2);
    expect(await otel.sum(REQUESTS, { ...failed, 'authwire.will_retry': false })).toBe(1);
    expect((await otel.histogram(DURATION, failed)).count).toBe(3);
    await otel.expectNoSecrets(endpoint.issued);
  });

  it('counts a server 429 too long to wait for, with the wait it asked for in seconds', async () => {
    const otel = telemetry();
    const endpoint = await tokenEndpoint();
    endpoint.replies.push({
      kind: 'error',
      status: 429,
      headers: { 'retry-after': '60' },
      body: { error: 'slow_down' },
    });
    const { manager } = instrumentedManager(otel, {
      endpoint,
      origins: [API_ORIGIN_PLACEHOLDER],
      maxRetryAfterMs: 1_000,
    });

    await expect(manager.getToken()).rejects.toMatchObject({ code: 'rate_limited' });

    const limited = {
      'authwire.rate_limit.source': 'server',
      'authwire.rate_limit.will_wait': false,
    };
    expect(await otel.sum('authwire.rate_limited', limited)).toBe(1);
    const wait = await otel.histogram('authwire.rate_limited.wait', limited);
    expect(wait.count).toBe(1);
    expect(wait.sum).toBeCloseTo(60, 1); // seconds: Retry-After 60, less the time since the answer
    expect(otel.spans(TOKEN_REQUEST_SPAN)[0]!.attributes['error.type']).toBe('rate_limited');
    await otel.expectNoSecrets(endpoint.issued);
  });
});

describe('uninstalling', () => {
  it('records nothing more after the returned function is called', async () => {
    const otel = telemetry();
    const endpoint = await tokenEndpoint();
    const { manager, uninstall } = instrumentedManager(otel, {
      endpoint,
      origins: [API_ORIGIN_PLACEHOLDER],
    });
    await manager.getToken();
    uninstall();
    uninstall(); // idempotent

    await manager.getToken({ forceRefresh: true });

    expect(endpoint.calls).toBe(2);
    expect(otel.spans(TOKEN_REQUEST_SPAN)).toHaveLength(1);
    expect(await otel.sum(REQUESTS)).toBe(1);
    expect(await otel.points('authwire.token.time_to_expiry')).toEqual([]);
  });

  it('keeps two managers on one meter apart, each with its own series', async () => {
    const otel = telemetry({ temporality: 'delta' });
    const first = await tokenEndpoint();
    const second = await tokenEndpoint();
    const a = instrumentedManager(otel, { endpoint: first, origins: [API_ORIGIN_PLACEHOLDER] });
    const b = instrumentedManager(otel, { endpoint: second, origins: [API_ORIGIN_PLACEHOLDER] });

    await Promise.all([a.manager.getToken(), b.manager.getToken()]);

    expect(a.manager.label).not.toBe(b.manager.label);
    expect(await otel.points(REQUESTS)).toHaveLength(2);
    expect(await otel.points('authwire.token.time_to_expiry')).toHaveLength(2);
    a.uninstall();
    expect(await otel.points('authwire.token.time_to_expiry')).toHaveLength(1);
  });
});

/** A manager whose provider declares `rateLimit`, on `store`, instrumented into `otel`. */
function limitedManager(
  otel: Telemetry,
  endpoint: TokenEndpoint,
  rateLimit: RateLimit,
  store: TokenStore,
) {
  const manager = createTokenManager(
    {
      ...clientCredentials({
        tokenUrl: endpoint.url,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      }),
      rateLimit,
    },
    { origins: [API_ORIGIN_PLACEHOLDER], store },
  );
  const uninstall = instrument(manager, {
    tracerProvider: otel.tracerProvider,
    meterProvider: otel.meterProvider,
  });
  return {
    manager,
    async [Symbol.asyncDispose]() {
      uninstall();
      await manager.close();
    },
  };
}

describe('rate limits and stores', () => {
  it('counts a request the declared limit holds back too long (source: bucket)', async () => {
    const otel = telemetry();
    const endpoint = await tokenEndpoint();
    const limit = { requests: 1, intervalMs: 60_000, key: 'one-a-minute' };
    await using limited = limitedManager(otel, endpoint, limit, memoryStore());
    await limited.manager.getToken();

    await expect(limited.manager.getToken({ forceRefresh: true })).rejects.toMatchObject({
      code: 'rate_limited',
    });

    expect(endpoint.calls).toBe(1);
    const held = { 'authwire.rate_limit.source': 'bucket', 'authwire.rate_limit.will_wait': false };
    expect(await otel.sum('authwire.rate_limited', held)).toBe(1);
    const wait = await otel.histogram('authwire.rate_limited.wait', held);
    expect(wait.count).toBe(1);
    expect(wait.sum).toBeGreaterThan(50); // about a minute, in seconds
    expect(wait.sum).toBeLessThanOrEqual(60);
  });

  it('counts a fleet gate that throws as a store error, and a wait it schedules (source: fleet)', async () => {
    const otel = telemetry();
    const endpoint = await tokenEndpoint();
    let takes = 0;
    const store: TokenStore = {
      ...memoryStore(),
      rateGate: {
        async take() {
          takes += 1;
          if (takes === 1) throw new Error('redis is down');
          return { admitted: true, waitMs: 5 };
        },
      },
    };
    const limit = { requests: 100, intervalMs: 1_000, key: 'fleet' };
    await using limited = limitedManager(otel, endpoint, limit, store);

    await limited.manager.getToken(); // the gate throws: the local bucket admits it
    await limited.manager.getToken({ forceRefresh: true }); // the gate schedules it 5 ms ahead

    expect(endpoint.calls).toBe(2);
    expect(
      await otel.sum('authwire.store.errors', { 'authwire.store.operation': 'rateGate' }),
    ).toBe(1);
    const waited = { 'authwire.rate_limit.source': 'fleet', 'authwire.rate_limit.will_wait': true };
    expect(await otel.sum('authwire.rate_limited', waited)).toBe(1);
    expect(await otel.histogram('authwire.rate_limited.wait', waited)).toEqual({
      count: 1,
      sum: 0.005,
    });
    const dump = JSON.stringify(await otel.collect());
    expect(dump).not.toContain('redis is down'); // error messages are not metric labels
  });
});
