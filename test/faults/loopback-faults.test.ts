// Token-endpoint faults over real loopback HTTP (node:http), through the core and every adapter.
import {
  type AuthwireErrorCode,
  clientCredentials,
  createTokenManager,
  memoryStore,
  type TokenEvent,
  type TokenManager,
  type TokenManagerOptions,
} from '@authwire/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALLERS } from './callers.ts';
import { authwireErrorIn, expectNoSecrets, leakGuard } from './leak-guard.ts';
import { type Behaviour, type LoopbackServer, loopbackServer } from './loopback-server.ts';

const SECRET = 'loopback-client-secret-4f9a';
const WAVE = 6;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = (): number => Math.floor(Date.now() / 1000);
const httpDate = (offsetMs: number): string => new Date(Date.now() + offsetMs).toUTCString();

// Small numbers so any Retry-After ≥ 1 s fails fast. A fault that is about time (a hang, a
// trickle) runs with a 100 ms request timeout, so a hung endpoint costs 2 × 100 ms; every other
// fault answers at once and gets 1 s, so a loaded machine never turns its answer into a timeout.
const TIMEOUT_FAULT_MS = 100;
const BASE: TokenManagerOptions = {
  requestTimeoutMs: 1_000,
  maxAttempts: 2,
  retryBaseDelayMs: 1,
  retryMaxDelayMs: 5,
  maxRetryAfterMs: 500,
};

interface Fault {
  readonly name: string;
  /** Token-endpoint behaviours in order; `always` repeats one forever. */
  readonly script: readonly Behaviour[] | { readonly always: Behaviour };
  /** A typed error every caller gets, or `token` when the wave must succeed. */
  readonly outcome: AuthwireErrorCode | 'token';
  /**
   * Token-endpoint calls for the wave (always ≤ maxAttempts). `'timed'`: 1 or 2 — under load a
   * timed-out attempt may be aborted before the server saw it.
   */
  readonly calls: number | 'timed';
  /** The token's lifetime as the manager judged it. */
  readonly lifetimeMs?: number;
  /** A second wave must send no token request (a 429 block is in force). */
  readonly blocked?: boolean;
  readonly options?: TokenManagerOptions;
}

const respond = (status: number, body = '', headers: Record<string, string> = {}): Behaviour => ({
  kind: 'respond',
  status,
  body,
  headers,
});
const tokenBody = (body: (accessToken: string) => unknown): Behaviour => ({ kind: 'token', body });
const rawToken = (accessToken: unknown, extra: Record<string, unknown> = {}): Behaviour => ({
  kind: 'literal',
  accessToken,
  extra,
});
const json = { 'content-type': 'application/json' };
const always = (behaviour: Behaviour) => ({ always: behaviour });

const FAULTS: readonly Fault[] = [
  // Transport
  {
    name: 'reset before headers, every time',
    script: always({ kind: 'reset-before-headers' }),
    outcome: 'token_request_failed',
    calls: 2,
  },
  {
    name: 'reset mid-body, every time',
    script: always({ kind: 'reset-mid-body' }),
    outcome: 'token_request_failed',
    calls: 2,
  },
  {
    name: 'reset mid-body once',
    script: [{ kind: 'reset-mid-body' }],
    outcome: 'token',
    calls: 2,
    lifetimeMs: HOUR,
  },
  {
    name: 'socket hang, every time',
    script: always({ kind: 'hang' }),
    outcome: 'timeout',
    calls: 'timed',
  },
  {
    name: 'socket hang once',
    script: [{ kind: 'hang' }],
    outcome: 'token',
    calls: 2,
    lifetimeMs: HOUR,
    // Room for the first attempt to reach the server even on a loaded machine.
    options: { requestTimeoutMs: 400 },
  },
  {
    name: 'headers then silence',
    script: always({ kind: 'headers-then-silence' }),
    outcome: 'timeout',
    calls: 'timed',
  },
  {
    name: 'body trickling past the timeout',
    script: always({ kind: 'trickle', intervalMs: 40 }),
    outcome: 'timeout',
    calls: 'timed',
  },
  {
    name: 'body trickling in within the timeout',
    script: [{ kind: 'trickle', intervalMs: 2, chunk: 48 }],
    outcome: 'token',
    calls: 1,
    lifetimeMs: HOUR,
    options: { requestTimeoutMs: 10_000 },
  },
  {
    name: 'redirect (credentials must not follow)',
    script: always(respond(302, '', { location: 'https://elsewhere.example/token' })),
    outcome: 'token_request_failed',
    // The endpoint's answer, not a network fault: not retried.
    calls: 1,
  },
  // 5xx and friends
  {
    name: '500 burst',
    script: always(respond(500, 'Internal Server Error')),
    outcome: 'token_request_failed',
    calls: 2,
  },
  {
    name: '502 once',
    script: [respond(502, 'Bad Gateway')],
    outcome: 'token',
    calls: 2,
    lifetimeMs: HOUR,
  },
  {
    name: '503 burst',
    script: always(respond(503, 'Service Unavailable', { 'retry-after': '1' })),
    outcome: 'token_request_failed',
    calls: 2,
  },
  { name: '408', script: always(respond(408)), outcome: 'token_request_failed', calls: 2 },
  {
    name: 'HTML 502 page',
    script: always(respond(502, '<!DOCTYPE html><h1>502</h1>', { 'content-type': 'text/html' })),
    outcome: 'token_request_failed',
    calls: 2,
  },
  {
    name: '401 HTML page (not retried)',
    script: always(respond(401, '<html>nope</html>', { 'content-type': 'text/html' })),
    outcome: 'token_request_failed',
    calls: 1,
  },
  {
    name: '400 invalid_client echoing the secret',
    script: always(
      respond(
        400,
        JSON.stringify({ error: 'invalid_client', error_description: `bad secret ${SECRET}` }),
        json,
      ),
    ),
    outcome: 'token_request_failed',
    calls: 1,
  },
  // 429
  {
    name: '429 storm, Retry-After 3600',
    script: always(respond(429, '', { 'retry-after': '3600' })),
    outcome: 'rate_limited',
    calls: 1,
    blocked: true,
  },
  {
    name: '429 storm, no Retry-After',
    script: always(respond(429)),
    outcome: 'rate_limited',
    calls: 1,
    blocked: true,
  },
  {
    name: '429 storm, Retry-After an HTTP date 1 h ahead',
    script: always(respond(429, '', { 'retry-after': httpDate(HOUR) })),
    outcome: 'rate_limited',
    calls: 1,
    blocked: true,
  },
  {
    name: '429 storm, unreadable Retry-After',
    script: always(respond(429, '', { 'retry-after': 'soon' })),
    outcome: 'rate_limited',
    calls: 1,
    blocked: true,
  },
  {
    name: '429 storm, Retry-After 0',
    script: always(respond(429, '', { 'retry-after': '0' })),
    outcome: 'rate_limited',
    calls: 2,
  },
  {
    name: '429 once, Retry-After an HTTP date in the past',
    script: [respond(429, '', { 'retry-after': httpDate(-HOUR) })],
    outcome: 'token',
    calls: 2,
    lifetimeMs: HOUR,
  },
  // Broken 2xx bodies (not retried: the same server would send the same thing)
  {
    name: 'malformed JSON',
    script: always(respond(200, '{"access_token":"eyJhbGciOi', json)),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'HTML 200 (login page)',
    script: always(
      respond(200, '<!DOCTYPE html><title>Sign in</title>', { 'content-type': 'text/html' }),
    ),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  { name: 'empty 200', script: always(respond(200)), outcome: 'invalid_token_response', calls: 1 },
  {
    name: 'JSON array',
    script: always(respond(200, '[]', json)),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'access_token missing',
    script: always(tokenBody(() => ({ token_type: 'Bearer', expires_in: 3600 }))),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'access_token a number',
    script: always(rawToken(12345, { expires_in: 3600 })),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'access_token an object',
    script: always(rawToken({ value: 'x' }, { expires_in: 3600 })),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'access_token empty',
    script: always(rawToken('', { expires_in: 3600 })),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'access_token with a line break',
    script: always(rawToken('abc\r\nX-Injected: 1', { expires_in: 3600 })),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'token_type not a scheme',
    script: always(
      tokenBody((t) => ({ access_token: t, token_type: 'Bearer x', expires_in: 3600 })),
    ),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  // expires_in
  {
    name: 'expires_in a numeric string',
    script: [tokenBody((t) => ({ access_token: t, expires_in: '3600' }))],
    outcome: 'token',
    calls: 1,
    lifetimeMs: HOUR,
  },
  {
    name: 'expires_in a word',
    script: always(tokenBody((t) => ({ access_token: t, expires_in: 'forever' }))),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'expires_in negative',
    script: always(tokenBody((t) => ({ access_token: t, expires_in: -60 }))),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'expires_in zero',
    script: always(tokenBody((t) => ({ access_token: t, expires_in: 0 }))),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'expires_in a boolean',
    script: always(tokenBody((t) => ({ access_token: t, expires_in: true }))),
    outcome: 'invalid_token_response',
    calls: 1,
  },
  {
    name: 'expires_in huge (capped at 24 h)',
    script: [tokenBody((t) => ({ access_token: t, expires_in: 1e12 }))],
    outcome: 'token',
    calls: 1,
    lifetimeMs: DAY,
  },
  {
    name: 'expires_in null (JWT exp − iat decides)',
    script: [tokenBody((t) => ({ access_token: t, expires_in: null }))],
    outcome: 'token',
    calls: 1,
    lifetimeMs: HOUR,
  },
  // Not JWTs, garbage JWTs: the provider default (300 s) or the claims decide
  {
    name: 'opaque token, no expires_in',
    script: [{ kind: 'token', opaque: true, body: (t) => ({ access_token: t }) }],
    outcome: 'token',
    calls: 1,
    lifetimeMs: 300_000,
  },
  {
    name: 'JWT-shaped, payload not base64',
    script: [rawToken('aGVhZGVy.%%%%.c2ln')],
    outcome: 'token',
    calls: 1,
    lifetimeMs: 300_000,
  },
  {
    name: 'JWT payload a JSON array',
    script: [rawToken(`e30.${Buffer.from('[1,2]').toString('base64url')}.c2ln`)],
    outcome: 'token',
    calls: 1,
    lifetimeMs: 300_000,
  },
  {
    name: 'JWT exp a string',
    script: [{ kind: 'jwt', claims: { iat: now(), exp: 'tomorrow' } }],
    outcome: 'token',
    calls: 1,
    lifetimeMs: 300_000,
  },
  {
    name: 'JWT exp before iat, in the past',
    script: [{ kind: 'jwt', claims: { iat: now(), exp: now() - 3600 } }],
    outcome: 'token',
    calls: 1,
    lifetimeMs: 300_000,
  },
  {
    name: 'JWT exp far in the future (capped)',
    script: [{ kind: 'jwt', claims: { iat: now(), exp: now() + 10 * 365 * 86_400 } }],
    outcome: 'token',
    calls: 1,
    lifetimeMs: DAY,
  },
];

const guard = leakGuard();
let server: LoopbackServer;
beforeAll(async () => {
  server = await loopbackServer();
});
afterAll(() => server.close());

describe.each(CALLERS)('token-endpoint faults over loopback HTTP, via $name', (caller) => {
  const managers: TokenManager[] = [];
  let events: TokenEvent[] = [];
  const manager = (options: TokenManagerOptions = {}): TokenManager => {
    const auth = createTokenManager(
      clientCredentials({
        tokenUrl: server.tokenUrl,
        clientId: 'loopback-client',
        clientSecret: SECRET,
      }),
      {
        origins: [server.origin],
        store: memoryStore(),
        ...BASE,
        ...options,
        onEvent: (event) => events.push(event),
      },
    );
    managers.push(auth);
    return auth;
  };
  beforeEach(() => {
    server.reset();
    events = [];
  });
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((auth) => auth.close()));
  });

  const wave = (auth: TokenManager) => {
    const get = caller.create(auth);
    return Promise.allSettled(Array.from({ length: WAVE }, () => get(server.apiUrl)));
  };
  const secrets = (): string[] => [SECRET, ...server.issued].filter((s) => s.length >= 8);

  it.each(FAULTS)('ends $name in a typed error or a good token', async (fault) => {
    if ('always' in fault.script) server.script([], fault.script.always);
    else server.script(fault.script);
    const auth = manager(
      fault.outcome === 'timeout'
        ? { requestTimeoutMs: TIMEOUT_FAULT_MS, ...fault.options }
        : fault.options,
    );

    const results = await wave(auth);

    if (fault.calls === 'timed') expect(server.tokenCalls).toBeGreaterThanOrEqual(1);
    else expect(server.tokenCalls).toBe(fault.calls);
    expect(server.tokenCalls).toBeLessThanOrEqual(BASE.maxAttempts!);
    expect(server.maxInFlight).toBe(1);
    if (fault.outcome === 'token') {
      expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual(
        Array(WAVE).fill(200),
      );
      const token = await auth.getToken();
      expect(token.expiresAt - token.issuedAt).toBe(fault.lifetimeMs);
    } else {
      for (const result of results) {
        expect(result.status).toBe('rejected');
        const error = (result as PromiseRejectedResult).reason;
        expect(authwireErrorIn(error)?.code, String(error)).toBe(fault.outcome);
        expectNoSecrets(error, secrets(), 'the error');
      }
      expect(server.apiStatuses).toEqual([]);
    }
    if (fault.blocked) {
      const before = server.tokenCalls;
      const again = await wave(auth);
      expect(server.tokenCalls - before).toBe(0);
      for (const result of again) {
        expect(authwireErrorIn((result as PromiseRejectedResult).reason)?.code).toBe(
          'rate_limited',
        );
      }
    }
    expectNoSecrets(events, secrets(), 'the events');
    expectNoSecrets(guard.consoleCalls, secrets(), 'the console output');
  });
});

describe('a token endpoint that quotes the request back', () => {
  // A secret with characters that form encoding and percent encoding change.
  const SPICY = 'sp!cy s3cret+/=&ü-long-enough';
  const forms = (secret: string, clientId: string): string[] => [
    secret,
    new URLSearchParams({ v: secret }).toString().slice(2),
    encodeURIComponent(secret),
    Buffer.from(`${clientId}:${secret}`).toString('base64'),
    Buffer.from(
      `${new URLSearchParams({ v: clientId }).toString().slice(2)}:${new URLSearchParams({ v: secret }).toString().slice(2)}`,
    ).toString('base64'),
  ];
  const managers: TokenManager[] = [];
  beforeEach(() => server.reset());
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((auth) => auth.close()));
  });

  const attempt = async (authMethod: 'client_secret_post' | 'client_secret_basic') => {
    server.script([], { kind: 'echo' });
    const events: TokenEvent[] = [];
    const auth = createTokenManager(
      clientCredentials({
        tokenUrl: server.tokenUrl,
        clientId: 'echo client',
        clientSecret: SPICY,
        authMethod,
      }),
      { origins: [server.origin], store: memoryStore(), ...BASE, onEvent: (e) => events.push(e) },
    );
    managers.push(auth);
    const error = await auth.getToken().then(
      () => undefined,
      (e: unknown) => e,
    );
    return { error, events };
  };
  const METHODS = ['client_secret_post', 'client_secret_basic'] as const;

  it.each(METHODS)('fails with the quoted text scrubbed of the raw %s secret', async (method) => {
    const { error, events } = await attempt(method);
    expect(authwireErrorIn(error)?.code).toBe('token_request_failed');
    // The quote did reach the error, so the secret checks here and below are not vacuous.
    expect((error as Error).message).toMatch(/could not parse .*grant_type=client_credentials/);
    expectNoSecrets(error, [SPICY], 'the error');
    expectNoSecrets(events, [SPICY], 'the events');
  });

  // A server quoting the request back quotes the form-encoded secret or the Basic credential.
  it.each(METHODS)('keeps every encoding of a %s secret out of the error', async (method) => {
    const { error } = await attempt(method);
    expectNoSecrets(error, forms(SPICY, 'echo client'), 'the error');
  });
});
