import {
  clientCredentials,
  createTokenManager,
  memoryStore,
  type Token,
  type TokenStore,
} from '@authwire/core';
import type { StoreLock } from '@authwire/core/kit';
import { context, type HrTime } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { instrument, LOCK_WAIT_SPAN, TOKEN_REQUEST_SPAN } from '../src/index.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  fakeClock,
  type Telemetry,
  type TokenEndpoint,
  telemetry,
  tokenEndpoint,
} from './harness.ts';

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

const ms = ([seconds, nanos]: HrTime): number => seconds * 1000 + nanos / 1e6;

/**
 * A manager whose store lock is held by "another process" for the first two tries; on the third,
 * `third` decides: that process stored its token (`theirs`), or it let go (`released`).
 */
async function lockedSetup(otel: Telemetry, third: 'theirs' | 'released') {
  const endpoint: TokenEndpoint = await tokenEndpoint();
  const clock = fakeClock({ instantSleepMs: 1_000 });
  const shared = memoryStore();
  let tries = 0;
  let key = '';
  const store: TokenStore = {
    get: (k) => shared.get(k),
    set: (k, token, ttlMs) => shared.set(k, token, ttlMs),
    delete: (k, token) => shared.delete(k, token),
    async lock(): Promise<StoreLock | undefined> {
      tries += 1;
      if (tries < 3) return undefined;
      if (third === 'released') return { release: async () => {} };
      const now = clock.now();
      const theirs: Token = {
        accessToken: 'tok-from-another-process',
        tokenType: 'Bearer',
        issuedAt: now,
        expiresAt: now + 3_600_000,
      };
      await shared.set(key, theirs, 3_600_000);
      return undefined;
    },
  };
  const manager = createTokenManager(
    clientCredentials({ tokenUrl: endpoint.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    { origins: ['http://127.0.0.1:9'], store, clock },
  );
  key = manager.key;
  const uninstall = instrument(manager, {
    tracerProvider: otel.tracerProvider,
    meterProvider: otel.meterProvider,
  });
  onTestFinished(async () => {
    uninstall();
    await manager.close();
  });
  const tracer = otel.tracerProvider.getTracer('test');
  const getToken = () =>
    tracer.startActiveSpan('GET /orders', async (caller) => {
      const token = await manager.getToken();
      caller.end();
      return token;
    });
  return { endpoint, clock, getToken };
}

describe('lock waits', () => {
  it('draws an authwire.lock.wait span, as long as the wait, under the waiting caller', async () => {
    const otel = telemetry();
    const { endpoint, clock, getToken } = await lockedSetup(otel, 'theirs');

    const token = await getToken();

    expect(token.accessToken).toBe('tok-from-another-process');
    expect(endpoint.calls).toBe(0);
    expect(otel.spans(TOKEN_REQUEST_SPAN)).toHaveLength(0);
    const [wait] = otel.spans(LOCK_WAIT_SPAN);
    const [caller] = otel.spans('GET /orders');
    expect(wait!.attributes['authwire.lock.outcome']).toBe('token');
    expect(wait!.parentSpanContext?.spanId).toBe(caller!.spanContext().spanId);
    const lasted = ms(wait!.endTime) - ms(wait!.startTime);
    expect(clock.elapsed).toBeGreaterThan(0);
    expect(lasted).toBeCloseTo(clock.elapsed, 0);
    const histogram = await otel.histogram('authwire.lock.wait.duration', {
      'authwire.lock.outcome': 'token',
    });
    expect(histogram.count).toBe(1);
    expect(histogram.sum).toBeCloseTo(clock.elapsed / 1000, 3);
    await otel.expectNoSecrets(['tok-from-another-process']);
  });

  it('puts the wait before the token request when the lock is released without a token', async () => {
    const otel = telemetry();
    const { endpoint, getToken } = await lockedSetup(otel, 'released');

    const token = await getToken();

    expect(endpoint.calls).toBe(1);
    const [caller] = otel.spans('GET /orders');
    const [wait] = otel.spans(LOCK_WAIT_SPAN);
    const [request] = otel.spans(TOKEN_REQUEST_SPAN);
    expect(wait!.attributes['authwire.lock.outcome']).toBe('fetched');
    for (const span of [wait, request]) {
      expect(span!.parentSpanContext?.spanId).toBe(caller!.spanContext().spanId);
    }
    expect(ms(wait!.endTime)).toBeLessThanOrEqual(ms(request!.startTime));
    expect(
      await otel.histogram('authwire.lock.wait.duration', { 'authwire.lock.outcome': 'fetched' }),
    ).toMatchObject({ count: 1 });
    await otel.expectNoSecrets([token.accessToken]);
  });
});
