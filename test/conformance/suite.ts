// The adapter conformance suite: one scenario list, run for an adapter against every provider mock.
import { inspect } from 'node:util';
import { type AuthwireError, isAuthwireError, type TokenManager } from '@authwire/core';
import { ECHO_PATH, type EchoResponse } from '@authwire/msw';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ManagerOverrides, PLATFORMS, type Platform, testClock } from './platforms.ts';

export interface DriverOptions {
  readonly signal?: AbortSignal;
  /** The client's own timeout, in ms. */
  readonly timeoutMs?: number;
  /** The adapter's per-request opt-out (no token). */
  readonly skipAuth?: boolean;
}

/** What a request ended with. HTTP errors are results; anything else is thrown. */
export interface DriverResult {
  readonly status: number;
  /** The parsed JSON body, or the text. */
  readonly body: unknown;
  /** The client's error object for a non-2xx status (axios, ky, got). */
  readonly error?: unknown;
}

/** A client wired to `auth` through the adapter, spoken to in one small uniform way. */
export interface Driver {
  get(url: string, options?: DriverOptions): Promise<DriverResult>;
  /** `body` is a plain object (send as JSON), a string, URLSearchParams, FormData, Blob, ArrayBuffer or ReadableStream. */
  post(url: string, body: unknown, options?: DriverOptions): Promise<DriverResult>;
}

export interface ConformanceOptions {
  /**
   * The adapter replays a stream body (openapi-fetch: the retry copy is a `Request.clone()`,
   * which tees and buffers the stream) instead of letting the 401 through.
   */
  readonly replaysStreamBodies?: boolean;
}

const FOREIGN = 'https://elsewhere.example';
const HERD = 200;

const bytes = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 7) % 256));
const base64 = Buffer.from(bytes).toString('base64');

/** Replayable bodies, and how to tell they arrived intact. */
const BODIES: Record<string, { make: () => unknown; check: (echo: EchoResponse) => void }> = {
  JSON: {
    make: () => ({ order: 42, lines: ['a', 'b'] }),
    check: (echo) => expect(JSON.parse(echo.body)).toEqual({ order: 42, lines: ['a', 'b'] }),
  },
  string: { make: () => 'plain text ✓', check: (echo) => expect(echo.body).toBe('plain text ✓') },
  URLSearchParams: {
    make: () => new URLSearchParams({ a: '1', b: 'two words' }),
    check: (echo) => expect(echo.body).toBe('a=1&b=two+words'),
  },
  FormData: {
    make: () => {
      const form = new FormData();
      form.append('field', 'value-1');
      form.append('file', new Blob(['file-content']), 'f.txt');
      return form;
    },
    check: (echo) => {
      expect(echo.contentType).toMatch(/^multipart\/form-data; boundary=/);
      expect(echo.body).toMatch(/name="field"\r\n\r\nvalue-1\r\n/);
      expect(echo.body).toMatch(/filename="f.txt"[\s\S]*\r\n\r\nfile-content\r\n/);
    },
  },
  Blob: { make: () => new Blob([bytes]), check: (echo) => expect(echo.bodyBase64).toBe(base64) },
  ArrayBuffer: {
    make: () => bytes.slice().buffer,
    check: (echo) => expect(echo.bodyBase64).toBe(base64),
  },
};

const stream = (): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice());
      controller.close();
    },
  });

/** The AuthwireError an error is, or carries in its `cause` chain. */
function authwireErrorIn(error: unknown): AuthwireError | undefined {
  for (let e = error, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    if (isAuthwireError(e)) return e;
  }
  return undefined;
}

function isAbortLike(error: unknown): boolean {
  const code = authwireErrorIn(error)?.code;
  if (code === 'aborted' || code === 'timeout') return true;
  for (let e = error, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    const name = (e as { name?: unknown }).name;
    if (name === 'AbortError' || name === 'TimeoutError' || name === 'CanceledError') return true;
  }
  return false;
}

function printed(value: unknown): string {
  let json = '';
  try {
    json = JSON.stringify(value) ?? '';
  } catch {
    // Circular structures cannot leak through JSON.stringify.
  }
  return `${inspect(value, { depth: 10 })}\n${json}`;
}

function expectNothingSecret(value: unknown, platform: Platform): void {
  const text = printed(value);
  for (const secret of platform.secrets) expect(text).not.toContain(secret);
  for (const { accessToken } of platform.control.issuedTokens) {
    expect(text).not.toContain(accessToken);
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

/**
 * Runs every scenario for one adapter against every provider mock (Norce, Oracle Commerce).
 * `makeDriver` is called once or more per test with that test's fresh manager.
 *
 * @example
 * ```ts
 * adapterConformance('ky', (auth) => kyDriver(withAuth(ky.create({ retry: 0 }), auth)));
 * ```
 */
export function adapterConformance(
  name: string,
  makeDriver: (auth: TokenManager) => Driver,
  options: ConformanceOptions = {},
): void {
  const server = setupServer();
  const probes: Record<string, string | null>[] = [];
  // Unprotected endpoints: what reached a foreign origin, a public endpoint, a redirect.
  const probe = http.all(`${FOREIGN}/probe`, ({ request }) => {
    const seen = {
      authorization: request.headers.get('authorization'),
      applicationid: request.headers.get('applicationid'),
    };
    probes.push(seen);
    return HttpResponse.json(seen);
  });
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());

  describe.each(PLATFORMS)(`${name} adapter × $name`, (kind) => {
    let clock = testClock();
    let platform: Platform;
    const managers: TokenManager[] = [];
    const setup = (overrides?: ManagerOverrides): Platform => {
      clock = testClock();
      platform = kind.create({ now: clock.now, manager: { clock, ...overrides } });
      managers.push(platform.auth);
      server.resetHandlers(probe, ...platform.handlers);
      return platform;
    };
    const records = (path: string) => platform.control.apiRequests.filter((r) => r.path === path);
    const apiPath = (): string => new URL(platform.apiUrl).pathname;

    beforeEach(() => {
      probes.length = 0;
      setup();
    });
    afterEach(async () => {
      await Promise.all(managers.splice(0).map((auth) => auth.close()));
    });

    describe('arguments', () => {
      it.each([undefined, null, {}, 'token'])(
        'refuses %j as the manager with a typed error',
        (bad) => {
          let error: unknown;
          try {
            makeDriver(bad as unknown as TokenManager);
          } catch (e) {
            error = e;
          }
          expect(authwireErrorIn(error)).toMatchObject({ code: 'invalid_options', option: 'auth' });
        },
      );
    });

    describe('concurrency', () => {
      it('does one token request for a cold-start herd shared by two clients', async () => {
        const [a, b] = [makeDriver(platform.auth), makeDriver(platform.auth)];
        const all = Array.from({ length: HERD }, (_, i) => (i % 2 ? a : b).get(platform.apiUrl));
        const results = await Promise.all(all);
        expect(results.map((r) => r.status)).toEqual(Array(HERD).fill(200));
        expect(platform.control.counters.tokenEndpointCalls).toBe(1);
      });

      it('does one refresh for a 401 herd after revokeAll() and retries each request once', async () => {
        const driver = makeDriver(platform.auth);
        expect((await driver.get(platform.apiUrl)).status).toBe(200);
        platform.control.revokeAll();
        const before = platform.control.counters.tokensIssued;
        const results = await Promise.all(
          Array.from({ length: HERD }, () => driver.get(platform.apiUrl)),
        );
        expect(results.map((r) => r.status)).toEqual(Array(HERD).fill(200));
        expect(platform.control.counters.tokensIssued).toBe(before + 1);
        const herd = records(apiPath()).slice(1);
        expect(herd).toHaveLength(2 * HERD);
        expect(herd.filter((r) => r.token === 'revoked' && r.tokenIndex === 0)).toHaveLength(HERD);
        expect(herd.filter((r) => r.token === 'valid' && r.tokenIndex === 1)).toHaveLength(HERD);
      });
    });

    describe('401 and 403', () => {
      it('makes exactly two attempts on a persistent 401, then reports the 401 normally', async () => {
        const driver = makeDriver(platform.auth);
        platform.control.failNextApi(2, { status: 401 });
        const result = await driver.get(platform.apiUrl);
        expect(result.status).toBe(401);
        expect(records(apiPath())).toHaveLength(2);
      });

      it('keeps the access token out of the 401 the caller gets', async () => {
        const driver = makeDriver(platform.auth);
        platform.control.failNextApi(2, { status: 401 });
        const result = await driver.get(platform.apiUrl);
        expect(result.status).toBe(401);
        expect(platform.control.issuedTokens.length).toBeGreaterThan(0);
        expectNothingSecret(result, platform);
      });

      it('does not retry a 403', async () => {
        let calls = 0;
        server.use(
          http.get(`${platform.apiOrigin}/forbidden`, () => {
            calls += 1;
            return HttpResponse.json({ message: 'no' }, { status: 403 });
          }),
        );
        const result = await makeDriver(platform.auth).get(`${platform.apiOrigin}/forbidden`);
        expect(result.status).toBe(403);
        expect(calls).toBe(1);
        expect(platform.control.counters.tokenEndpointCalls).toBe(1);
      });
    });

    describe('expiry', () => {
      it('never sends an expired token under continuous load across token lifetimes', async () => {
        const driver = makeDriver(platform.auth);
        const step = platform.lifetimeMs / 12;
        for (let i = 0; i < 30; i++) {
          const results = await Promise.all(
            Array.from({ length: 10 }, () => driver.get(platform.apiUrl)),
          );
          expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
          clock.advance(step);
        }
        expect(records(apiPath()).filter((r) => r.token === 'expired')).toEqual([]);
        expect(platform.control.counters.tokensIssued).toBeGreaterThanOrEqual(3);
      });
    });

    describe('request bodies', () => {
      // A server that reads the upload, then refuses the token. (When a handler answers before
      // reading, MSW closes the upload early and got's FormData encoder fails on its own — a mock
      // artifact: against node:http got replays it, see packages/got/test.)
      const refuseOnce = (): string[] => {
        const refused: string[] = [];
        server.use(
          http.post(
            platform.echoUrl,
            async ({ request }) => {
              await request.arrayBuffer();
              refused.push(request.headers.get('authorization') ?? '');
              return new HttpResponse(null, { status: 401 });
            },
            { once: true },
          ),
        );
        return refused;
      };

      it.each(Object.entries(BODIES))('re-sends a %s body intact after a 401', async (_, body) => {
        const driver = makeDriver(platform.auth);
        const refused = refuseOnce();
        const result = await driver.post(platform.echoUrl, body.make());
        expect(result.status).toBe(200);
        const echo = result.body as EchoResponse;
        body.check(echo);
        expect(refused).toHaveLength(1);
        expect(echo.headers.authorization).toMatch(/^bearer /i);
        expect(echo.headers.authorization).not.toBe(refused[0]);
        expect(records(ECHO_PATH)).toHaveLength(1);
      });

      // One-shot streams cannot be replayed, except where the adapter's retry copy buffers them
      // (openapi-fetch clones the Request); either way the outcome is asserted, never skipped.
      it('handles a stream body after a 401 the way the adapter documents', async () => {
        const driver = makeDriver(platform.auth);
        const refused = refuseOnce();
        const result = await driver.post(platform.echoUrl, stream());
        expect(refused).toHaveLength(1);
        if (options.replaysStreamBodies) {
          expect(result.status).toBe(200);
          expect((result.body as EchoResponse).bodyBase64).toBe(base64);
        } else {
          expect(result.status).toBe(401);
          expect(records(ECHO_PATH)).toHaveLength(0);
        }
      });
    });

    describe('abort and timeouts', () => {
      it("stops waiting on the caller's abort during a slow token fetch", async () => {
        platform.control.failNext(1, { delayMs: 1_500 });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const error = await rejection(
          makeDriver(platform.auth).get(platform.apiUrl, { signal: controller.signal }),
        );
        // It gave up before the slow token endpoint answered, and sent nothing to the API.
        expect(platform.control.counters.tokensIssued).toBe(0);
        expect(platform.control.counters.apiCalls).toBe(0);
        expect(isAbortLike(error)).toBe(true);
      });

      it("stops waiting at the client's timeout during a slow token fetch", async () => {
        platform.control.failNext(1, { delayMs: 1_500 });
        const error = await rejection(
          makeDriver(platform.auth).get(platform.apiUrl, { timeoutMs: 100 }),
        );
        expect(platform.control.counters.tokensIssued).toBe(0);
        expect(platform.control.counters.apiCalls).toBe(0);
        expect(isAbortLike(error)).toBe(true);
      });
    });

    describe('origins', () => {
      it('sends nothing to a foreign origin, and fetches no token for it', async () => {
        const result = await makeDriver(platform.auth).get(`${FOREIGN}/probe`);
        expect(result.body).toEqual({ authorization: null, applicationid: null });
        expect(platform.control.counters.tokenEndpointCalls).toBe(0);
      });

      it('does not carry the token across a redirect to a foreign origin', async () => {
        server.use(
          http.get(`${platform.apiOrigin}/moved`, () =>
            HttpResponse.redirect(`${FOREIGN}/probe`, 302),
          ),
        );
        const result = await makeDriver(platform.auth).get(`${platform.apiOrigin}/moved`);
        expect(result.status).toBe(200);
        expect(probes).toHaveLength(1);
        expect(probes[0]?.authorization).toBeNull();
        expect(platform.control.counters.tokenEndpointCalls).toBe(1);
      });

      it('sends a request without a token when it opts out', async () => {
        server.use(
          http.get(`${platform.apiOrigin}/public`, ({ request }) =>
            HttpResponse.json({ authorization: request.headers.get('authorization') }),
          ),
        );
        const driver = makeDriver(platform.auth);
        const result = await driver.get(`${platform.apiOrigin}/public`, { skipAuth: true });
        expect(result.body).toEqual({ authorization: null });
        expect(platform.control.counters.tokenEndpointCalls).toBe(0);
      });
    });

    describe('token endpoint failures', () => {
      const failures = [
        ['500', { status: 500 }, 'token_request_failed'],
        ['429', { status: 429, retryAfter: 3600 }, 'rate_limited'],
        ['malformed JSON', 'malformed-json', 'invalid_token_response'],
      ] as const;
      it.each(failures)(
        'surfaces a %s as a typed error with no secret in it',
        async (_, failure, code) => {
          const failing = setup({ maxAttempts: 1 });
          failing.control.failNext(1, failure);
          const error = await rejection(makeDriver(failing.auth).get(failing.apiUrl));
          expect(authwireErrorIn(error)?.code).toBe(code);
          expectNothingSecret(error, failing);
          expect(failing.control.counters.apiCalls).toBe(0);
        },
      );
    });
  });
}
