import { inspect } from 'node:util';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AbortedError,
  AuthwireError,
  type AuthwireErrorCode,
  ClosedError,
  clientCredentials,
  createTokenManager,
  InsecureUrlError,
  InvalidOptionsError,
  InvalidTokenResponseError,
  isAuthwireError,
  memoryStore,
  RateLimitedError,
  TimeoutError,
  TokenEndpointError,
  type TokenEvent,
  type TokenManager,
  type TokenManagerOptions,
} from '../src/index.ts';

const ENDPOINT = 'https://id.example.com/oauth2/token';

describe('every error class', () => {
  const cause = new Error('root cause');
  const cases: {
    error: AuthwireError;
    type: abstract new (...args: never[]) => AuthwireError;
    name: string;
    code: AuthwireErrorCode;
    message: string;
    json: Record<string, unknown>;
  }[] = [
    {
      error: new AuthwireError('closed', 'base message'),
      type: AuthwireError,
      name: 'AuthwireError',
      code: 'closed',
      message: 'base message',
      json: { name: 'AuthwireError', code: 'closed', message: 'base message' },
    },
    {
      error: new InvalidOptionsError('clientId', 'clientId must be a non-empty string'),
      type: InvalidOptionsError,
      name: 'InvalidOptionsError',
      code: 'invalid_options',
      message: 'clientId must be a non-empty string',
      json: {
        name: 'InvalidOptionsError',
        code: 'invalid_options',
        message: 'clientId must be a non-empty string',
        option: 'clientId',
      },
    },
    {
      error: new InsecureUrlError('tokenUrl', 'http://id.example.com/token'),
      type: InsecureUrlError,
      name: 'InsecureUrlError',
      code: 'insecure_url',
      message:
        'tokenUrl must use https (http is allowed for loopback only): http://id.example.com/token',
      json: {
        name: 'InsecureUrlError',
        code: 'insecure_url',
        message:
          'tokenUrl must use https (http is allowed for loopback only): http://id.example.com/token',
      },
    },
    {
      error: new TokenEndpointError('Token request failed with HTTP 400', {
        endpoint: ENDPOINT,
        status: 400,
        error: 'invalid_client',
        errorDescription: 'bad client',
        retryable: false,
        cause,
      }),
      type: TokenEndpointError,
      name: 'TokenEndpointError',
      code: 'token_request_failed',
      message: 'Token request failed with HTTP 400',
      json: {
        name: 'TokenEndpointError',
        code: 'token_request_failed',
        message: 'Token request failed with HTTP 400',
        endpoint: ENDPOINT,
        status: 400,
        error: 'invalid_client',
        errorDescription: 'bad client',
      },
    },
    {
      error: new InvalidTokenResponseError(ENDPOINT, 200, 'the body is empty'),
      type: InvalidTokenResponseError,
      name: 'InvalidTokenResponseError',
      code: 'invalid_token_response',
      message: `Invalid token response from ${ENDPOINT} (HTTP 200): the body is empty`,
      json: {
        name: 'InvalidTokenResponseError',
        code: 'invalid_token_response',
        message: `Invalid token response from ${ENDPOINT} (HTTP 200): the body is empty`,
        endpoint: ENDPOINT,
        status: 200,
      },
    },
    {
      error: new RateLimitedError(ENDPOINT, 1_500),
      type: RateLimitedError,
      name: 'RateLimitedError',
      code: 'rate_limited',
      message: `Token endpoint ${ENDPOINT} is rate limited; retry in 2 s`,
      json: {
        name: 'RateLimitedError',
        code: 'rate_limited',
        message: `Token endpoint ${ENDPOINT} is rate limited; retry in 2 s`,
      },
    },
    {
      error: new TimeoutError('Token request', 15_000),
      type: TimeoutError,
      name: 'TimeoutError',
      code: 'timeout',
      message: 'Token request timed out after 15000 ms',
      json: {
        name: 'TimeoutError',
        code: 'timeout',
        message: 'Token request timed out after 15000 ms',
      },
    },
    {
      error: new AbortedError('user navigated away'),
      type: AbortedError,
      name: 'AbortedError',
      code: 'aborted',
      message: 'The operation was aborted',
      json: { name: 'AbortedError', code: 'aborted', message: 'The operation was aborted' },
    },
    {
      error: new ClosedError(),
      type: ClosedError,
      name: 'ClosedError',
      code: 'closed',
      message: 'The token manager is closed',
      json: { name: 'ClosedError', code: 'closed', message: 'The token manager is closed' },
    },
  ];

  describe.each(cases)('$name', ({ error, type, name, code, message, json }) => {
    it('has its code, name and message', () => {
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      expect(error.message).toBe(message);
      expect(String(error)).toBe(`${name}: ${message}`);
      expect(error.stack?.split('\n')[0]).toBe(`${name}: ${message}`);
    });

    it('is an instance of its class, AuthwireError and Error', () => {
      expect(error).toBeInstanceOf(type);
      expect(error).toBeInstanceOf(AuthwireError);
      expect(error).toBeInstanceOf(Error);
    });

    it('is recognised by isAuthwireError', () => {
      expect(isAuthwireError(error)).toBe(true);
    });

    it('serialises its public fields with toJSON and JSON.stringify', () => {
      expect(error.toJSON()).toEqual(json);
      expect(JSON.parse(JSON.stringify(error))).toEqual(json);
    });

    it('does not expose the brand as an enumerable property', () => {
      expect(Object.keys(error)).not.toContain('authwire.error');
      const brand = Symbol.for('authwire.error');
      expect(Object.getOwnPropertySymbols(error)).toContain(brand);
      expect(Object.prototype.propertyIsEnumerable.call(error, brand)).toBe(false);
    });
  });

  it('keeps the typed details of TokenEndpointError', () => {
    const error = cases[3]!.error as TokenEndpointError;
    expect(error.endpoint).toBe(ENDPOINT);
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(cause);
  });

  it('sets no cause on TokenEndpointError when none is given', () => {
    const error = new TokenEndpointError('x', { endpoint: ENDPOINT, retryable: true });
    expect('cause' in error).toBe(false);
    expect(error.status).toBeUndefined();
    expect(error.error).toBeUndefined();
  });

  it('keeps the details of RateLimitedError, InvalidTokenResponseError and InsecureUrlError', () => {
    expect((cases[5]!.error as RateLimitedError).retryAfterMs).toBe(1_500);
    expect((cases[5]!.error as RateLimitedError).endpoint).toBe(ENDPOINT);
    expect((cases[4]!.error as InvalidTokenResponseError).status).toBe(200);
    expect((cases[4]!.error as InvalidTokenResponseError).endpoint).toBe(ENDPOINT);
    expect((cases[2]!.error as InsecureUrlError).url).toBe('http://id.example.com/token');
  });

  it('rounds RateLimitedError seconds up', () => {
    expect(new RateLimitedError(ENDPOINT, 1).message).toContain('retry in 1 s');
    expect(new RateLimitedError(ENDPOINT, 30_000).message).toContain('retry in 30 s');
  });

  it('keeps the abort reason as the cause of AbortedError, and no cause without one', () => {
    const reason = new DOMException('aborted', 'AbortError');
    expect(new AbortedError(reason).cause).toBe(reason);
    expect('cause' in new AbortedError()).toBe(false);
  });
});

describe('isAuthwireError', () => {
  it('recognises a branded object from another realm', () => {
    const foreign: unknown = runInNewContext(
      "({ [Symbol.for('authwire.error')]: true, code: 'closed', message: 'x' })",
    );
    expect(foreign instanceof AuthwireError).toBe(false);
    expect(isAuthwireError(foreign)).toBe(true);
  });

  it('recognises a branded Error from another realm (duplicate install)', () => {
    const foreign: unknown = runInNewContext(
      "const e = new Error('x'); Object.defineProperty(e, Symbol.for('authwire.error'), { value: true }); e",
    );
    expect(foreign instanceof Error).toBe(false);
    expect(isAuthwireError(foreign)).toBe(true);
  });

  it('recognises a plain branded object in this realm', () => {
    expect(isAuthwireError({ [Symbol.for('authwire.error')]: true })).toBe(true);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'AuthwireError'],
    ['a plain Error', new Error('x')],
    ['a TypeError', new TypeError('x')],
    ['an object with a look-alike code', { name: 'AuthwireError', code: 'closed' }],
    ['a brand that is not exactly true', { [Symbol.for('authwire.error')]: 'true' }],
    ['a brand under a local symbol', { [Symbol('authwire.error')]: true }],
    ['a brand under a string key', { 'authwire.error': true }],
    ['a foreign plain Error', runInNewContext("new Error('x')")],
  ])('refuses %s', (_label, value) => {
    expect(isAuthwireError(value)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Secret hygiene: drive a real manager through failures and look everywhere a secret could leak.
// ---------------------------------------------------------------------------------------------

const NOW = 1_700_000_000_000;
const SECRET = 's3cr3t-VALUE-xyz';
const CLIENT_ID = 'client-1';
const ACCESS_TOKEN = 'at-KNOWN-4f9c2b7e91d0';
const NEW_ACCESS_TOKEN = 'at-NEWER-77aa1c3d5e6f';
const BROKEN_ACCESS_TOKEN = 'at-BROKEN 0d9e8f';
const API = 'https://api.example.com';
const FORBIDDEN = [
  SECRET,
  ACCESS_TOKEN,
  NEW_ACCESS_TOKEN,
  'at-BROKEN',
  // The client_secret_basic credentials as they travel.
  btoa(`${CLIENT_ID}:${SECRET}`),
];

/** Every way an error could end up in a log: message, stack, JSON, and a deep inspect. */
function errorRenderings(error: unknown): string[] {
  if (!(error instanceof Error)) return [inspect(error, { depth: 10, showHidden: true })];
  return [
    String(error),
    error.stack ?? '',
    JSON.stringify(error) ?? '',
    inspect(error, { depth: 10, showHidden: true }),
  ];
}

function eventRenderings(event: TokenEvent): string[] {
  const texts = [JSON.stringify(event), inspect(event, { depth: 10, showHidden: true })];
  if ('error' in event) texts.push(...errorRenderings(event.error));
  return texts;
}

/** The forbidden strings found in `texts`. */
function leaks(texts: readonly string[]): string[] {
  return FORBIDDEN.filter((secret) => texts.some((text) => text.includes(secret)));
}

describe('the leak scanner', () => {
  it('finds a secret hidden in a nested cause', () => {
    const error = new Error('outer', { cause: new Error(`inner ${SECRET}`) });
    expect(leaks(errorRenderings(error))).toEqual([SECRET]);
  });

  it('finds a token in a non-enumerable property', () => {
    const error = new Error('outer');
    Object.defineProperty(error, 'hidden', { value: ACCESS_TOKEN, enumerable: false });
    expect(leaks(errorRenderings(error))).toEqual([ACCESS_TOKEN]);
  });

  it('finds a secret in an event', () => {
    const event: TokenEvent = {
      type: 'unauthorized_retry',
      label: 'k',
      url: `${API}/?t=${SECRET}`,
    };
    expect(leaks(eventRenderings(event))).toEqual([SECRET]);
  });

  it('finds nothing in clean text', () => {
    expect(leaks(['nothing to see', '[redacted]'])).toEqual([]);
  });
});

type Failure = (init: RequestInit | undefined) => Response | Promise<Response>;

function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const hang: Failure = (init) =>
  new Promise<Response>((_resolve, reject) => {
    const signal = init?.signal;
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

const failures: [string, Failure, abstract new (...args: never[]) => Error][] = [
  [
    '400 echoing the secret',
    () =>
      jsonResponse(
        {
          error: 'invalid_client',
          error_description: `client_secret=${SECRET} is not valid for ${CLIENT_ID}`,
        },
        400,
      ),
    TokenEndpointError,
  ],
  [
    '401 with the secret in the error code',
    () => jsonResponse({ error: `bad_${SECRET}` }, 401),
    TokenEndpointError,
  ],
  [
    '500 with a debug page echoing the request body',
    () => new Response(`<html><pre>client_secret=${SECRET}</pre></html>`, { status: 500 }),
    TokenEndpointError,
  ],
  [
    '429 with a short Retry-After (retried, then given up)',
    () =>
      new Response(`{"error":"slow_down","secret":"${SECRET}"}`, {
        status: 429,
        headers: { 'Retry-After': '1' },
      }),
    RateLimitedError,
  ],
  [
    '429 with a long Retry-After',
    () => new Response('', { status: 429, headers: { 'Retry-After': '120' } }),
    RateLimitedError,
  ],
  [
    '200 with an HTML login page echoing the secret',
    () => new Response(`<html><input value="${SECRET}"></html>`, { status: 200 }),
    InvalidTokenResponseError,
  ],
  [
    '200 with an access token a header cannot carry',
    () => jsonResponse({ access_token: BROKEN_ACCESS_TOKEN, client_secret: SECRET }),
    InvalidTokenResponseError,
  ],
  [
    '200 with a new token but a broken expires_in',
    () => jsonResponse({ access_token: NEW_ACCESS_TOKEN, expires_in: 'soon' }),
    InvalidTokenResponseError,
  ],
  [
    'a network error whose message and cause carry the secret',
    () => {
      throw new TypeError(`fetch failed for body client_secret=${SECRET}`, {
        cause: new Error(`ECONNRESET while writing ${SECRET} / ${ACCESS_TOKEN}`),
      });
    },
    TokenEndpointError,
  ],
  [
    'a fetch that rejects with a bare string',
    () => Promise.reject(`raw failure ${SECRET}`),
    TokenEndpointError,
  ],
  ['a timeout', hang, TimeoutError],
];

/** Failures whose echoed secret lands in a kept field (error, error_description, cause). */
const ECHOED = new Set<Failure>([failures[0]![1], failures[1]![1], failures[8]![1]]);

describe('secret hygiene: no secret or token in errors or events', () => {
  const managers: TokenManager[] = [];

  beforeEach(() => {
    vi.useFakeTimers({ now: NOW });
  });

  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.close()));
    vi.useRealTimers();
  });

  async function settle<T>(promise: Promise<T>, ms: number): Promise<T | unknown> {
    const settled = promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await vi.advanceTimersByTimeAsync(ms);
    const result = await settled;
    return 'error' in result ? result.error : result.value;
  }

  describe.each(['client_secret_post', 'client_secret_basic'] as const)('with %s', (authMethod) => {
    it.each(failures)('on %s', async (_label, failure, expectedType) => {
      const onEvent: TokenEvent[] = [];
      const subscribed: TokenEvent[] = [];
      let calls = 0;
      const fetchMock = vi.fn<typeof fetch>(async (_input, init) => {
        calls += 1;
        if (calls === 1) return jsonResponse({ access_token: ACCESS_TOKEN, expires_in: 3600 });
        return failure(init);
      });
      const auth = createTokenManager(
        clientCredentials({
          tokenUrl: ENDPOINT,
          clientId: CLIENT_ID,
          clientSecret: SECRET,
          authMethod,
        }),
        { fetch: fetchMock, origins: [API], store: memoryStore(), onEvent: (e) => onEvent.push(e) },
      );
      managers.push(auth);
      auth.subscribe((e) => subscribed.push(e));

      // 1. A good token, so the manager holds a known access token while it fails.
      const token = await auth.getToken();
      expect(token.accessToken).toBe(ACCESS_TOKEN);

      // 2. A forced refresh that fails (with retries where the failure is retryable).
      const forced = await settle(auth.getToken({ forceRefresh: true }), 120_000);
      expect(forced).toBeInstanceOf(expectedType);

      // 3. A background refresh that fails while the old token is still served.
      await vi.advanceTimersByTimeAsync(3_480_000 - 120_000);
      expect((await auth.getToken()).accessToken).toBe(ACCESS_TOKEN);
      await vi.advanceTimersByTimeAsync(120_000);

      // 4. A 401 from the API, for a URL carrying the token in its query.
      const healed = await settle(
        auth.reauthorize(`${API}/orders?access_token=${ACCESS_TOKEN}`, token),
        120_000,
      );
      expect(isAuthwireError(healed)).toBe(true);

      const events = [...onEvent];
      expect(subscribed).toEqual(events);
      const types = new Set(events.map((e) => e.type));
      expect(types).toContain('token_acquired');
      expect(types).toContain('unauthorized_retry');
      expect(types).toContain('token_invalidated');
      expect(fetchMock.mock.calls.length).toBeGreaterThan(1);
      if (expectedType === TimeoutError || expectedType === TokenEndpointError) {
        // Retryable failures and hard ones alike surface through the background refresh.
        expect(types).toContain('token_request_failed');
      }

      const texts = [
        ...errorRenderings(forced),
        ...errorRenderings(healed),
        ...events.flatMap(eventRenderings),
      ];
      expect(leaks(texts)).toEqual([]);
      if (ECHOED.has(failure)) {
        // The server did echo the secret into a field we keep: it was scrubbed, not dropped.
        expect(errorRenderings(forced).join('\n')).toContain('[redacted]');
      }
    });
  });

  it('keeps the secret out of option errors', () => {
    const attempts: (() => unknown)[] = [
      () =>
        clientCredentials({
          tokenUrl: ENDPOINT,
          clientId: CLIENT_ID,
          clientSecret: SECRET,
          authMethod: 'nope' as 'client_secret_post',
        }),
      () =>
        clientCredentials({
          tokenUrl: 'http://id.example.com/t',
          clientId: CLIENT_ID,
          clientSecret: SECRET,
        }),
      () => clientCredentials({ tokenUrl: ENDPOINT, clientId: '', clientSecret: SECRET }),
      () =>
        clientCredentials({
          tokenUrl: `https://${CLIENT_ID}:${SECRET}@id.example.com/t`,
          clientId: CLIENT_ID,
          clientSecret: SECRET,
        }),
      () =>
        clientCredentials({
          tokenUrl: `http://id.example.com/t?client_secret=${SECRET}`,
          clientId: CLIENT_ID,
          clientSecret: SECRET,
        }),
      () =>
        createTokenManager(
          clientCredentials({ tokenUrl: ENDPOINT, clientId: CLIENT_ID, clientSecret: SECRET }),
          { origins: [API], store: memoryStore(), maxAttempts: 0 } as TokenManagerOptions,
        ),
      () =>
        createTokenManager(
          clientCredentials({ tokenUrl: ENDPOINT, clientId: CLIENT_ID, clientSecret: SECRET }),
          { origins: [`http://api.example.com/?k=${SECRET}`], store: memoryStore() },
        ),
      () =>
        createTokenManager(
          clientCredentials({ tokenUrl: ENDPOINT, clientId: CLIENT_ID, clientSecret: SECRET }),
          { store: memoryStore() },
        ),
    ];
    for (const attempt of attempts) {
      let error: unknown;
      try {
        attempt();
      } catch (caught) {
        error = caught;
      }
      expect(isAuthwireError(error)).toBe(true);
      expect((error as AuthwireError).code).toMatch(/^(invalid_options|insecure_url)$/);
      expect(leaks(errorRenderings(error))).toEqual([]);
    }
  });

  it('strips the query from the unauthorized_retry URL', async () => {
    const events: TokenEvent[] = [];
    const auth = createTokenManager(
      clientCredentials({ tokenUrl: ENDPOINT, clientId: CLIENT_ID, clientSecret: SECRET }),
      {
        fetch: async () => jsonResponse({ access_token: ACCESS_TOKEN, expires_in: 3600 }),
        origins: [API],
        store: memoryStore(),
        onEvent: (e) => events.push(e),
      },
    );
    managers.push(auth);
    const token = await auth.getToken();
    await auth.reauthorize(`${API}/orders?access_token=${ACCESS_TOKEN}`, token);
    const retry = events.find((e) => e.type === 'unauthorized_retry');
    expect(retry).toEqual({ type: 'unauthorized_retry', label: auth.label, url: `${API}/orders` });
  });

  it('keeps userinfo and fragment out of the unauthorized_retry URL', async () => {
    const events: TokenEvent[] = [];
    const auth = createTokenManager(
      clientCredentials({ tokenUrl: ENDPOINT, clientId: CLIENT_ID, clientSecret: SECRET }),
      {
        fetch: async () => jsonResponse({ access_token: ACCESS_TOKEN, expires_in: 3600 }),
        origins: [API],
        store: memoryStore(),
        onEvent: (e) => events.push(e),
      },
    );
    managers.push(auth);
    const token = await auth.getToken();
    await auth.reauthorize(
      `https://user:${SECRET}@api.example.com/cb#access_token=${ACCESS_TOKEN}`,
      token,
    );
    const retry = events.find((e) => e.type === 'unauthorized_retry');
    expect(retry).toBeDefined();
    expect(leaks(eventRenderings(retry!))).toEqual([]);
  });
});
