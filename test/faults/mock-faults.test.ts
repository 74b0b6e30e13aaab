// Token-endpoint faults from the platform mocks (MSW), through the core and every adapter, both presets.
import type {
  AuthwireErrorCode,
  TokenEvent,
  TokenManager,
  TokenManagerOptions,
} from '@authwire/core';
import type { TokenEndpointFailure } from '@authwire/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../drivers/platforms.ts';
import { CALLERS } from './callers.ts';
import { authwireErrorIn, expectNoSecrets, leakGuard } from './leak-guard.ts';

const WAVE = 6;
const DAY = 86_400_000;
const BASE = {
  requestTimeoutMs: 100,
  maxAttempts: 2,
  retryBaseDelayMs: 1,
  retryMaxDelayMs: 5,
  maxRetryAfterMs: 500,
} as const satisfies TokenManagerOptions;

interface Fault {
  readonly name: string;
  readonly failure: TokenEndpointFailure | ((lifetimeMs: number) => TokenEndpointFailure);
  /** How many token calls fail (the rest answer normally). */
  readonly count: number;
  readonly outcome: AuthwireErrorCode | 'token';
  /** Exact token-endpoint calls for the wave; `'timed'`: 1 or 2 (see loopback-faults). */
  readonly calls: number | 'timed';
  /** Lifetime as the manager judged it; a function of the mock's lifetime. */
  readonly lifetimeMs?: (mockLifetimeMs: number) => number;
  readonly blocked?: boolean;
}

const MANY = 50;
const same = (ms: number): number => ms;
const FAULTS: readonly Fault[] = [
  {
    name: '500 burst',
    failure: { status: 500 },
    count: MANY,
    outcome: 'token_request_failed',
    calls: 2,
  },
  {
    name: 'one 502',
    failure: { status: 502 },
    count: 1,
    outcome: 'token',
    calls: 2,
    lifetimeMs: same,
  },
  {
    name: 'two 503s',
    failure: { status: 503 },
    count: 2,
    outcome: 'token_request_failed',
    calls: 2,
  },
  {
    name: '429 storm with Retry-After 3600',
    failure: { status: 429, retryAfter: 3600 },
    count: MANY,
    outcome: 'rate_limited',
    calls: 1,
    blocked: true,
  },
  {
    name: '429 storm without Retry-After',
    failure: { status: 429 },
    count: MANY,
    outcome: 'rate_limited',
    calls: 1,
    blocked: true,
  },
  {
    name: '429 storm with an HTTP-date Retry-After',
    failure: { status: 429, retryAfter: new Date(Date.now() + 3_600_000).toUTCString() },
    count: MANY,
    outcome: 'rate_limited',
    calls: 1,
    blocked: true,
  },
  {
    name: '429 storm with Retry-After 0',
    failure: { status: 429, retryAfter: 0 },
    count: MANY,
    outcome: 'rate_limited',
    calls: 2,
  },
  {
    name: 'malformed JSON',
    failure: 'malformed-json',
    count: MANY,
    outcome: 'invalid_token_response',
    calls: 1,
  },
  { name: 'HTML 502', failure: 'html', count: MANY, outcome: 'token_request_failed', calls: 2 },
  {
    name: 'HTML 200',
    failure: { html: 200 },
    count: MANY,
    outcome: 'invalid_token_response',
    calls: 1,
  },
  { name: 'empty 200', failure: 'empty', count: MANY, outcome: 'invalid_token_response', calls: 1 },
  {
    name: 'network errors',
    failure: 'network-error',
    count: MANY,
    outcome: 'token_request_failed',
    calls: 2,
  },
  {
    name: 'one network error',
    failure: 'network-error',
    count: 1,
    outcome: 'token',
    calls: 2,
    lifetimeMs: same,
  },
  {
    name: 'a slow endpoint',
    failure: { delayMs: 2_000 },
    count: 2,
    outcome: 'timeout',
    calls: 'timed',
  },
  {
    name: 'missing access_token',
    failure: 'missing-access-token',
    count: MANY,
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'expires_in a numeric string',
    failure: (ms) => ({ expiresIn: String(ms / 1000) }),
    count: 1,
    outcome: 'token',
    calls: 1,
    lifetimeMs: same,
  },
  {
    name: 'expires_in a word',
    failure: { expiresIn: 'soon' },
    count: MANY,
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'expires_in negative',
    failure: { expiresIn: -1 },
    count: MANY,
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'expires_in zero',
    failure: { expiresIn: 0 },
    count: MANY,
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'expires_in huge',
    failure: { expiresIn: 1e9 },
    count: 1,
    outcome: 'token',
    calls: 1,
    lifetimeMs: () => DAY,
  },
  {
    name: 'expires_in absent (JWT decides)',
    failure: { expiresIn: undefined },
    count: 1,
    outcome: 'token',
    calls: 1,
    lifetimeMs: same,
  },
  {
    name: 'an opaque (non-JWT) token',
    failure: 'not-jwt',
    count: 1,
    outcome: 'token',
    calls: 1,
    lifetimeMs: same,
  },
];

const guard = leakGuard();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

describe.each(PLATFORMS)('$name mock faults', (platform) => {
  describe.each(CALLERS)('via $name', (caller) => {
    const managers: TokenManager[] = [];
    afterEach(async () => {
      await Promise.all(managers.splice(0).map((auth) => auth.close()));
    });

    it.each(FAULTS)('ends $name in a typed error or a good token', async (fault) => {
      const events: TokenEvent[] = [];
      const setup = platform.create({
        manager: { ...BASE, onEvent: (event) => events.push(event) },
      });
      managers.push(setup.auth);
      server.resetHandlers(...setup.handlers);
      const failure =
        typeof fault.failure === 'function' ? fault.failure(setup.lifetimeMs) : fault.failure;
      setup.control.failNext(fault.count, failure);
      const calls = () => setup.control.counters.tokenEndpointCalls;
      const wave = () => {
        const get = caller.create(setup.auth);
        return Promise.allSettled(Array.from({ length: WAVE }, () => get(setup.apiUrl)));
      };
      const secrets = () => [
        ...setup.secrets,
        ...setup.control.issuedTokens.map((t) => t.accessToken),
      ];

      const results = await wave();

      if (fault.calls === 'timed') expect(calls()).toBeGreaterThanOrEqual(1);
      else expect(calls()).toBe(fault.calls);
      expect(calls()).toBeLessThanOrEqual(BASE.maxAttempts);
      if (fault.outcome === 'token') {
        expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual(
          Array(WAVE).fill(200),
        );
        const token = await setup.auth.getToken();
        expect(token.expiresAt - token.issuedAt).toBe(fault.lifetimeMs?.(setup.lifetimeMs));
        expect(setup.control.apiRequests.map((r) => r.token)).toEqual(Array(WAVE).fill('valid'));
      } else {
        for (const result of results) {
          expect(result.status).toBe('rejected');
          const error = (result as PromiseRejectedResult).reason;
          expect(authwireErrorIn(error)?.code, String(error)).toBe(fault.outcome);
          expectNoSecrets(error, secrets(), 'the error');
        }
        expect(setup.control.counters.apiCalls).toBe(0);
      }
      if (fault.blocked) {
        const before = calls();
        const again = await wave();
        expect(calls() - before).toBe(0);
        for (const result of again) {
          const error = (result as PromiseRejectedResult).reason;
          expect(authwireErrorIn(error)?.code).toBe('rate_limited');
        }
      }
      expectNoSecrets(events, secrets(), 'the events');
      expectNoSecrets(guard.consoleCalls, secrets(), 'the console output');
    });
  });
});
