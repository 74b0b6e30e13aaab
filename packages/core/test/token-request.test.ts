import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import {
  parseOAuthError,
  type SendOptions,
  sendTokenRequest,
} from '../src/endpoint/token-request.ts';
import {
  AuthwireError,
  InsecureUrlError,
  InvalidOptionsError,
  InvalidTokenResponseError,
  RateLimitedError,
  TokenEndpointError,
} from '../src/errors/errors.ts';
import type { TokenRequest } from '../src/types.ts';

const NOW = 1_700_000_000_000;
const TOKEN_URL = 'https://id.example.com/oauth2/token';
const SECRET = 's3cr3t-VALUE-xyz';
const FORM = 'grant_type=client_credentials&client_id=app&client_secret=s3cr3t-VALUE-xyz';

type FetchMock = ReturnType<typeof vi.fn<typeof fetch>>;

function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
}

function respondWith(make: () => Response | Promise<Response>): FetchMock {
  return vi.fn<typeof fetch>(async () => make());
}

const okFetch = (): FetchMock =>
  respondWith(() => json({ access_token: 'at-1', token_type: 'Bearer', expires_in: 3600 }));

function send(
  fetchMock: FetchMock,
  request: Partial<TokenRequest> = {},
  options: Partial<SendOptions> = {},
) {
  return sendFull(fetchMock, { url: TOKEN_URL, body: FORM, ...request }, options);
}

function sendFull(fetchMock: FetchMock, request: TokenRequest, options: Partial<SendOptions> = {}) {
  return sendTokenRequest(request, {
    fetch: fetchMock,
    now: () => NOW,
    signal: new AbortController().signal,
    secrets: [SECRET],
    defaultLifetimeMs: 300_000,
    defaultRetryAfterMs: 30_000,
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function endpointError(promise: Promise<unknown>): Promise<TokenEndpointError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(TokenEndpointError);
  expect((error as TokenEndpointError).code).toBe('token_request_failed');
  return error as TokenEndpointError;
}

/** Everything a log line, a JSON log or a debugger could show of an error. */
function renderings(error: unknown): string[] {
  const e = error as Error;
  return [String(e), e.stack ?? '', JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })];
}

function init(fetchMock: FetchMock, call = 0): RequestInit {
  const args = fetchMock.mock.calls[call];
  if (!args) throw new Error(`fetch was not called ${call + 1} time(s)`);
  return args[1] ?? {};
}

describe('sendTokenRequest on success', () => {
  it('returns a validated token whose expiry is measured from when the request was sent', async () => {
    let now = NOW;
    const fetchMock = vi.fn<typeof fetch>(async () => {
      now += 5_000; // the endpoint takes 5 s
      return json({ access_token: 'at-1', token_type: 'bearer', expires_in: 60, scope: 'a b' });
    });
    const token = await send(fetchMock, {}, { now: () => now });
    expect(token).toEqual({
      accessToken: 'at-1',
      tokenType: 'bearer',
      issuedAt: NOW,
      expiresAt: NOW + 60_000,
      scope: 'a b',
    });
  });

  it('uses defaultLifetimeMs when the answer has no expiry', async () => {
    const token = await send(
      respondWith(() => json({ access_token: 'opaque' })),
      {},
      { defaultLifetimeMs: 12_345 },
    );
    expect(token.expiresAt).toBe(NOW + 12_345);
  });

  it('accepts any 2xx status', async () => {
    const token = await send(respondWith(() => json({ access_token: 'at-201' }, { status: 201 })));
    expect(token.accessToken).toBe('at-201');
  });

  it('POSTs the form body with content-type and accept headers, refusing redirects', async () => {
    const fetchMock = okFetch();
    const signal = new AbortController().signal;
    await send(fetchMock, {}, { signal });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(String(fetchMock.mock.calls[0]?.[0])).toBe(TOKEN_URL);
    const sent = init(fetchMock);
    expect(sent.method).toBe('POST');
    expect(sent.body).toBe(FORM);
    expect(sent.redirect).toBe('manual');
    expect(sent.signal).toBe(signal);
    const headers = new Headers(sent.headers);
    expect(headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(headers.get('accept')).toBe('application/json');
  });

  it("calls the given fetch unbound (workerd's fetch refuses any other `this`)", async () => {
    const fetchMock = okFetch();
    const checked = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
      return fetchMock(input, init);
    };
    const token = await sendTokenRequest(
      { url: TOKEN_URL, body: FORM },
      {
        fetch: checked as typeof fetch,
        now: () => NOW,
        signal: new AbortController().signal,
        secrets: [SECRET],
        defaultLifetimeMs: 300_000,
        defaultRetryAfterMs: 30_000,
      },
    );
    expect(token.accessToken).toBe('at-1');
  });

  it('serialises a URLSearchParams body', async () => {
    const fetchMock = okFetch();
    await send(fetchMock, {
      body: new URLSearchParams({ grant_type: 'client_credentials', a: 'x y' }),
    });
    expect(init(fetchMock).body).toBe('grant_type=client_credentials&a=x+y');
  });

  it('keeps caller-given content-type, accept and extra headers', async () => {
    const fetchMock = okFetch();
    await send(fetchMock, {
      headers: { 'Content-Type': 'application/json', Accept: 'application/jwt', 'X-Trace': '1' },
    });
    const headers = new Headers(init(fetchMock).headers);
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('accept')).toBe('application/jwt');
    expect(headers.get('x-trace')).toBe('1');
  });

  it('sends a GET without a body and without a content-type', async () => {
    const fetchMock = okFetch();
    await sendFull(fetchMock, { url: TOKEN_URL, method: 'GET' });
    const sent = init(fetchMock);
    expect(sent.method).toBe('GET');
    expect(sent.body).toBeNull();
    expect(new Headers(sent.headers).has('content-type')).toBe(false);
  });
});

describe('sendTokenRequest maps error statuses to TokenEndpointError', () => {
  it('reads an RFC 6749 error body on 400 as a non-retryable error', async () => {
    const error = await endpointError(
      send(
        respondWith(() =>
          json(
            { error: 'invalid_client', error_description: 'Client authentication failed' },
            { status: 400 },
          ),
        ),
      ),
    );
    expect(error.status).toBe(400);
    expect(error.error).toBe('invalid_client');
    expect(error.errorDescription).toBe('Client authentication failed');
    expect(error.retryable).toBe(false);
    expect(error.endpoint).toBe(TOKEN_URL);
    expect(error.message).toBe(
      `Token request to ${TOKEN_URL} failed with HTTP 400: invalid_client (Client authentication failed)`,
    );
  });

  it('reads an error without a description', async () => {
    const error = await endpointError(
      send(respondWith(() => json({ error: 'invalid_scope' }, { status: 400 }))),
    );
    expect(error.error).toBe('invalid_scope');
    expect(error.errorDescription).toBeUndefined();
    expect(error.message).toBe(`Token request to ${TOKEN_URL} failed with HTTP 400: invalid_scope`);
  });

  it('treats 401 as not retryable', async () => {
    const error = await endpointError(
      send(respondWith(() => json({ error: 'invalid_client' }, { status: 401 }))),
    );
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
  });

  it.each([403, 404, 405, 409, 422])('treats %i as not retryable', async (status) => {
    const error = await endpointError(send(respondWith(() => new Response('', { status }))));
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
  });

  it.each([500, 502, 503, 504, 408])('treats %i as retryable', async (status) => {
    const error = await endpointError(
      send(respondWith(() => new Response('<html>Bad gateway</html>', { status }))),
    );
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(true);
    expect(error.error).toBeUndefined();
    expect(error.message).toBe(`Token request to ${TOKEN_URL} failed with HTTP ${status}`);
  });

  it('ignores an error body whose error is not a string', async () => {
    const error = await endpointError(
      send(
        respondWith(() => json({ error: { code: 1 }, error_description: 'x' }, { status: 400 })),
      ),
    );
    expect(error.error).toBeUndefined();
    expect(error.errorDescription).toBeUndefined();
  });

  it('uses a custom parseError (Oracle style { message, status, errorCode })', async () => {
    const oracleBody = { message: 'Invalid credentials', status: '401', errorCode: '83037' };
    const parseError = vi.fn((body: unknown) => {
      const b = body as { errorCode?: string; message?: string };
      return { error: String(b.errorCode), errorDescription: String(b.message) };
    });
    const error = await endpointError(
      send(
        respondWith(() => json(oracleBody, { status: 401 })),
        { parseError },
      ),
    );
    expect(parseError).toHaveBeenCalledWith(oracleBody);
    expect(error.error).toBe('83037');
    expect(error.errorDescription).toBe('Invalid credentials');
    expect(error.message).toContain('HTTP 401: 83037 (Invalid credentials)');
  });

  it('accepts a custom parseError that returns undefined', async () => {
    const error = await endpointError(
      send(
        respondWith(() => json({ weird: true }, { status: 400 })),
        {
          parseError: () => undefined,
        },
      ),
    );
    expect(error.error).toBeUndefined();
    expect(error.message).toBe(`Token request to ${TOKEN_URL} failed with HTTP 400`);
  });
});

describe('sendTokenRequest never follows a redirect', () => {
  it('fails a 3xx with a non-retryable error carrying the status, never quoting the Location', async () => {
    let bodyCancelled = false;
    const body = new ReadableStream({
      cancel() {
        bodyCancelled = true;
      },
    });
    const fetchMock = respondWith(
      () =>
        new Response(body, {
          status: 302,
          headers: { location: 'https://elsewhere.example/token?code=leak-me' },
        }),
    );
    const error = await endpointError(send(fetchMock));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(error.status).toBe(302);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('redirected');
    expect(renderings(error).join('\n')).not.toContain('leak-me');
    expect(bodyCancelled).toBe(true);
  });

  it.each([301, 303, 307, 308])('treats HTTP %i the same way', async (status) => {
    const error = await endpointError(
      send(respondWith(() => new Response(null, { status, headers: { location: '/x' } }))),
    );
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
  });

  it("fails a browser's opaque-redirect answer (status 0) the same way", async () => {
    const opaque = {
      type: 'opaqueredirect',
      status: 0,
      headers: new Headers(),
      body: null,
    } as unknown as Response;
    const error = await endpointError(send(respondWith(() => opaque)));
    expect(error.status).toBeUndefined();
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('redirected');
  });
});

describe('parseOAuthError', () => {
  it('reads error and error_description', () => {
    expect(parseOAuthError({ error: 'invalid_grant', error_description: 'd' })).toEqual({
      error: 'invalid_grant',
      errorDescription: 'd',
    });
  });

  it('drops a non-string description', () => {
    expect(parseOAuthError({ error: 'invalid_grant', error_description: 5 })).toEqual({
      error: 'invalid_grant',
    });
  });

  it.each([[null], [undefined], ['text'], [42], [{}], [{ error: 1 }]])(
    'returns undefined for %j',
    (body) => {
      expect(parseOAuthError(body)).toBeUndefined();
    },
  );
});

describe('sendTokenRequest maps 429 to RateLimitedError', () => {
  it('reads Retry-After in seconds', async () => {
    const error = await rejection(
      send(respondWith(() => new Response('', { status: 429, headers: { 'Retry-After': '7' } }))),
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    const limited = error as RateLimitedError;
    expect(limited.code).toBe('rate_limited');
    expect(limited.retryAfterMs).toBe(7_000);
    expect(limited.endpoint).toBe(TOKEN_URL);
    expect(limited.message).toContain('retry in 7 s');
  });

  it('reads Retry-After as an HTTP date, relative to now()', async () => {
    const at = new Date(NOW + 12_000).toUTCString();
    const error = await rejection(
      send(respondWith(() => new Response('', { status: 429, headers: { 'Retry-After': at } }))),
    );
    expect((error as RateLimitedError).retryAfterMs).toBe(12_000);
  });

  it('uses defaultRetryAfterMs without a Retry-After header', async () => {
    const error = await rejection(
      send(
        respondWith(() => new Response('{"error":"slow_down"}', { status: 429 })),
        {},
        {
          defaultRetryAfterMs: 45_000,
        },
      ),
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(45_000);
  });

  it('uses defaultRetryAfterMs for an unreadable Retry-After', async () => {
    const error = await rejection(
      send(
        respondWith(() => new Response('', { status: 429, headers: { 'Retry-After': 'soon 5' } })),
        {},
        { defaultRetryAfterMs: 45_000 },
      ),
    );
    expect((error as RateLimitedError).retryAfterMs).toBe(45_000);
  });
});

describe('sendTokenRequest refuses a 2xx answer that is not a token', () => {
  it.each([
    ['HTML', '<!DOCTYPE html><html><body>Login</body></html>', /the body is HTML, not JSON/],
    ['HTML after whitespace', '\n  <html></html>', /the body is HTML, not JSON/],
    ['an empty body', '', /the body is empty/],
    ['a whitespace-only body', '  \n', /the body is empty/],
    ['malformed JSON', '{"access_token": "abc"', /the body is not valid JSON/],
    ['a form-encoded body', 'access_token=abc&expires_in=60', /the body is not valid JSON/],
  ])('says when it is %s', async (_label, text, problem) => {
    const error = await rejection(send(respondWith(() => new Response(text, { status: 200 }))));
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    const invalid = error as InvalidTokenResponseError;
    expect(invalid.code).toBe('invalid_token_response');
    expect(invalid.status).toBe(200);
    expect(invalid.endpoint).toBe(TOKEN_URL);
    expect(invalid.message).toMatch(problem);
  });

  it('passes JSON on to readTokenResponse validation', async () => {
    const error = await rejection(send(respondWith(() => json({ token: 'abc' }))));
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect((error as Error).message).toMatch(/access_token/);
  });
});

describe('sendTokenRequest on network failure and abort', () => {
  it('wraps a rejected fetch in a retryable TokenEndpointError with the secret scrubbed from its cause', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => {
      throw new TypeError(`connect ECONNREFUSED while sending client_secret=${SECRET}`);
    });
    const error = await endpointError(send(fetchMock));
    expect(error.retryable).toBe(true);
    expect(error.status).toBeUndefined();
    // The kind is read from the text here (no code); the text itself stays in the scrubbed cause.
    expect(error.message).toBe(
      `Token request to ${TOKEN_URL} failed: connection refused by id.example.com: is the server running on that port?`,
    );
    expect(error.network).toBe('refused');
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).message).toBe(
      'connect ECONNREFUSED while sending client_secret=[redacted]',
    );
    for (const text of renderings(error)) expect(text).not.toContain(SECRET);
  });

  it('drops a cause that is not an Error', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.reject(`raw ${SECRET}`));
    const error = await endpointError(send(fetchMock));
    expect(error.cause).toBeUndefined();
    expect(error.retryable).toBe(true);
  });

  it('treats a body that fails while being read as a network error', async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('socket hang up'));
      },
    });
    const error = await endpointError(send(respondWith(() => new Response(body, { status: 200 }))));
    expect(error.retryable).toBe(true);
    expect((error.cause as Error).message).toBe('socket hang up');
  });

  it('rejects with the signal reason when aborted before the answer', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const fetchMock = vi.fn<typeof fetch>(
      (_input, requestInit) =>
        new Promise<Response>((_resolve, reject) => {
          requestInit?.signal?.addEventListener('abort', () =>
            reject(new DOMException('This operation was aborted', 'AbortError')),
          );
        }),
    );
    const pending = send(fetchMock, {}, { signal: controller.signal });
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled());
    controller.abort(reason);
    expect(await rejection(pending)).toBe(reason);
  });

  it('rejects with the signal reason when it was aborted already', async () => {
    const reason = new Error('already gone');
    const fetchMock = vi.fn<typeof fetch>(async (_input, requestInit) => {
      throw requestInit?.signal?.reason;
    });
    expect(await rejection(send(fetchMock, {}, { signal: AbortSignal.abort(reason) }))).toBe(
      reason,
    );
  });
});

describe('sendTokenRequest only talks to HTTPS or loopback', () => {
  it.each([
    'http://id.example.com/token',
    'http://10.0.0.1/token',
    'http://localhost.example.com/token',
  ])('refuses %s with InsecureUrlError, without calling fetch', async (url) => {
    const fetchMock = okFetch();
    const error = await rejection(send(fetchMock, { url }));
    expect(error).toBeInstanceOf(InsecureUrlError);
    expect((error as InsecureUrlError).code).toBe('insecure_url');
    expect(error).toBeInstanceOf(AuthwireError);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it.each(['ftp://id.example.com/token', 'not a url', '/relative/token'])(
    'refuses %s with InvalidOptionsError, without calling fetch',
    async (url) => {
      const fetchMock = okFetch();
      const error = await rejection(send(fetchMock, { url }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect((error as InvalidOptionsError).option).toBe('token endpoint');
      expect(fetchMock).not.toHaveBeenCalled();
    },
  );

  it.each([
    'http://127.0.0.1:8080/token',
    'http://localhost/token',
    'http://localhost:3000/token',
    'http://[::1]:9000/token',
  ])('allows loopback %s over http', async (url) => {
    const fetchMock = okFetch();
    const token = await send(fetchMock, { url });
    expect(token.accessToken).toBe('at-1');
    expect(String(fetchMock.mock.calls[0]?.[0])).toBe(url);
  });
});

describe('sendTokenRequest keeps secrets and noise out of its errors', () => {
  const echo = () =>
    respondWith(() =>
      json(
        {
          error: `bad_${SECRET}`,
          error_description: `client_secret "${SECRET}" does not match; got ${SECRET}`,
        },
        { status: 400 },
      ),
    );

  it('replaces a secret echoed in error and error_description by [redacted]', async () => {
    const error = await endpointError(send(echo()));
    expect(error.errorDescription).toBe(
      'client_secret "[redacted]" does not match; got [redacted]',
    );
    expect(error.error).toBe('bad_[redacted]');
    expect(error.message).toContain('[redacted]');
    expect(error.toJSON()).toMatchObject({
      error: 'bad_[redacted]',
      errorDescription: 'client_secret "[redacted]" does not match; got [redacted]',
    });
    for (const text of renderings(error)) expect(text).not.toContain(SECRET);
  });

  it('scrubs every secret it is given', async () => {
    const other = 'app-KEY-0123456789';
    const error = await endpointError(
      send(
        respondWith(() =>
          json({ error: 'x', error_description: `${other} / ${SECRET}` }, { status: 400 }),
        ),
        {},
        { secrets: [SECRET, other] },
      ),
    );
    expect(error.errorDescription).toBe('[redacted] / [redacted]');
  });

  it('truncates a long description to 200 characters and an ellipsis', async () => {
    const long = 'x'.repeat(5_000);
    const error = await endpointError(
      send(
        respondWith(() =>
          json({ error: 'server_error', error_description: long }, { status: 400 }),
        ),
      ),
    );
    expect(error.errorDescription).toBe(`${'x'.repeat(200)}…`);
    expect(error.message.length).toBeLessThan(450);
  });

  it('keeps a 200-character description whole', async () => {
    const exact = 'y'.repeat(200);
    const error = await endpointError(
      send(respondWith(() => json({ error: 'e', error_description: exact }, { status: 400 }))),
    );
    expect(error.errorDescription).toBe(exact);
  });

  describe('never echoes the query string or fragment of the token URL', () => {
    const url = 'https://id.example.com/oauth2/token?api_key=QUERYKEY123#frag-QUERYKEY';
    const label = 'https://id.example.com/oauth2/token';
    const cases: [string, () => Response | Promise<Response>][] = [
      ['a 400', () => json({ error: 'invalid_client' }, { status: 400 })],
      ['a 503', () => new Response('', { status: 503 })],
      ['a 429', () => new Response('', { status: 429, headers: { 'Retry-After': '3' } })],
      ['an HTML 200', () => new Response('<html></html>', { status: 200 })],
      ['a JSON 200 without a token', () => json({})],
      [
        'a network error',
        () => {
          throw new TypeError('fetch failed');
        },
      ],
    ];
    it.each(cases)('on %s', async (_label, make) => {
      const fetchMock = respondWith(make);
      const error = await rejection(send(fetchMock, { url }));
      expect(fetchMock).toHaveBeenCalledTimes(1);
      expect(error).toBeInstanceOf(AuthwireError);
      expect((error as { endpoint?: string }).endpoint).toBe(label);
      expect((error as Error).message).toContain(label);
      for (const text of renderings(error)) expect(text).not.toContain('QUERYKEY');
    });

    it('on an insecure URL', async () => {
      const error = await rejection(
        send(okFetch(), { url: 'http://id.example.com/t?api_key=QUERYKEY123#frag' }),
      );
      expect(error).toBeInstanceOf(InsecureUrlError);
      expect((error as InsecureUrlError).url).toBe('http://id.example.com/t');
      for (const text of renderings(error)) {
        expect(text).not.toContain('QUERYKEY123');
        expect(text).not.toContain('frag');
      }
    });
  });

  it('refuses a token URL with userinfo, without calling fetch or echoing it', async () => {
    const fetchMock = okFetch();
    const error = await rejection(
      send(fetchMock, { url: 'https://user:pa55word@id.example.com/oauth2/token' }),
    );
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(fetchMock).not.toHaveBeenCalled();
    for (const text of renderings(error)) expect(text).not.toContain('pa55word');
  });
});
