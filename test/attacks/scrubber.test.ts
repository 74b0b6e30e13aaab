// One scrubber for every exit: a custom provider's thrown Error (message, stack, fields, causes),
// a token URL's query values quoted back by a server, and a custom store quoting the token it was
// given never reach the caller's error, an event, the debug line or a tracing wrapper's span.
import { inspect } from 'node:util';
import {
  clientCredentials,
  createTokenManager,
  memoryStore,
  type Token,
  TokenEndpointError,
  type TokenEvent,
  type TokenProvider,
  type TokenStore,
} from '@authwire/core';
import { observeTokenRequests } from '@authwire/core/kit';
import { describe, expect, it } from 'vitest';

const SECRET = 'app-key-Zq81-never-print';
const QUERY_SECRET = 'gw-code-5521-never-print';
const ACCESS = 'access-77f0b1-never-print';
const API = 'https://api.example.com';

/** Everything a caller, a listener, the debug switch and a span can read of a failed fetch. */
async function exits(provider: TokenProvider, store: TokenStore = memoryStore()) {
  const events: TokenEvent[] = [];
  const lines: string[] = [];
  const spans: unknown[] = [];
  const auth = createTokenManager(provider, {
    origins: [API],
    store,
    maxAttempts: 1,
    onEvent: (event) => events.push(event),
    debug: (line) => lines.push(line),
  });
  observeTokenRequests(auth, async (_, run) => {
    try {
      return await run();
    } catch (error) {
      // What @authwire/opentelemetry puts in the span status and attributes.
      spans.push(error, (error as Error).message, (error as Error).stack);
      throw error;
    }
  });
  const caught = await auth.getToken().catch((error: unknown) => error);
  await auth.close();
  return { caught, events, lines, spans };
}

/** Every way a secret could be read back out of what the library handed over. */
function dump(values: readonly unknown[]): string {
  return values
    .map((value) => {
      if (typeof value === 'string') return value;
      const error = value as { message?: unknown; stack?: unknown; cause?: unknown };
      let text = `${inspect(value, { depth: 10, showHidden: true })}\n${safeJson(value)}`;
      for (let cause: unknown = value, i = 0; cause && i < 10; i++) {
        const e = cause as typeof error;
        text += `\n${String(e.message)}\n${String(e.stack)}\n${safeJson(e)}`;
        for (const [k, v] of Object.entries(e)) text += `\n${k}=${String(v)}`;
        cause = e.cause;
      }
      return text;
    })
    .join('\n');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function expectClean(result: Awaited<ReturnType<typeof exits>>, secrets: readonly string[]) {
  const text = dump([result.caught, ...result.events, ...result.lines, ...result.spans]);
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
    expect(text).not.toContain(Buffer.from(secret).toString('base64').slice(0, 16));
  }
}

function throwing(thrown: () => unknown, secrets: readonly string[] = [SECRET]): TokenProvider {
  return {
    key: `custom-${Math.random()}`,
    label: 'custom id.example.com/token',
    secrets,
    fetchToken: async () => {
      throw thrown();
    },
  };
}

describe("a custom provider's thrown Error is scrubbed of its declared secrets", () => {
  const cases: readonly [string, () => unknown][] = [
    ['in its message', () => new Error(`refused key ${SECRET}`)],
    [
      'URI-encoded in its message',
      () => new Error(`GET /t?k=${encodeURIComponent(`${SECRET}/+`)}`),
    ],
    ['base64 in its message (a Basic header)', () => new Error(`Basic ${btoa(`id:${SECRET}`)}`)],
    ['JSON-escaped in its message', () => new Error(JSON.stringify({ key: `${SECRET}"` }))],
    ['split by a CR in its message', () => new Error(`${SECRET.slice(0, 8)}\r${SECRET.slice(8)}`)],
    [
      'in its stack only',
      () => {
        const error = new Error('failed');
        error.stack = `Error: failed\n    at call (https://id.example.com/?key=${SECRET})`;
        return error;
      },
    ],
    ['in its cause', () => new Error('failed', { cause: new Error(`key ${SECRET}`) })],
    [
      'three causes deep',
      () => new Error('a', { cause: new Error('b', { cause: new Error('c', { cause: SECRET }) }) }),
    ],
    ['in an own field', () => Object.assign(new Error('failed'), { body: `{"key":"${SECRET}"}` })],
    ['in a TypeError subclass', () => new TypeError(`bad ${SECRET}`)],
    [
      'in a custom class with a code and status',
      () =>
        Object.assign(new (class VaultError extends Error {})(`key ${SECRET}`), {
          code: 'EVAULT',
          status: 503,
        }),
    ],
    [
      'in an authwire error it built',
      () =>
        new TokenEndpointError(`refused ${SECRET}`, {
          endpoint: 'id.example.com/token',
          status: 401,
          error: 'invalid_client',
          errorDescription: `key ${SECRET} unknown`,
          retryable: false,
          cause: new Error(SECRET),
        }),
    ],
    ['as a thrown string', () => `key ${SECRET}`],
    ['as a thrown plain object', () => ({ message: `key ${SECRET}` })],
    [
      'behind a stack getter that throws',
      () =>
        Object.defineProperty(new Error(SECRET), 'stack', {
          get: () => {
            throw new Error(SECRET);
          },
        }),
    ],
    [
      'as an object whose toString throws',
      () => ({
        toString: () => {
          throw new Error(SECRET);
        },
      }),
    ],
    [
      'as a revoked Proxy of an Error',
      () => {
        const { proxy, revoke } = Proxy.revocable(new Error(SECRET), {});
        revoke();
        return proxy;
      },
    ],
  ];

  it.each(cases)(
    'does scrub it %s from the error, events, debug line and span',
    async (_, thrown) => {
      const result = await exits(throwing(thrown));
      expect(result.caught).toBeInstanceOf(Error);
      expect(result.events.some((e) => e.type === 'token_request_failed')).toBe(true);
      expect(result.lines.some((l) => l.includes('token_request_failed'))).toBe(true);
      expect(result.spans.length).toBeGreaterThan(0);
      expectClean(result, [SECRET]);
    },
  );

  it('does keep what the error says besides the secret: name, code, status and the rest of the text', async () => {
    const result = await exits(
      throwing(() =>
        Object.assign(new (class VaultError extends Error {})(`vault refused key ${SECRET}`), {
          code: 'EVAULT',
          status: 503,
        }),
      ),
    );
    const error = result.caught as Error & { code?: string; status?: number };
    expect(error.message).toBe('vault refused key [redacted]');
    expect(error.code).toBe('EVAULT');
    expect(error.status).toBe(503);
    const failed = result.events.find((e) => e.type === 'token_request_failed');
    expect(failed).toMatchObject({ code: 'EVAULT', status: 503 });
  });

  it('does hand over an error that quotes no secret as it was thrown (identity kept)', async () => {
    const thrown = new Error('vault is down');
    const result = await exits(throwing(() => thrown));
    expect(result.caught).toBe(thrown);
  });

  it('does scrub the token the key serves when the provider quotes it', async () => {
    let n = 0;
    const provider: TokenProvider = {
      key: `refreshing-${Math.random()}`,
      fetchToken: async (context) => {
        n += 1;
        if (n === 1) {
          const now = Date.now();
          return {
            accessToken: ACCESS,
            tokenType: 'Bearer',
            issuedAt: now,
            expiresAt: now + 3_600_000,
          };
        }
        throw new Error(`refresh of ${context.current?.accessToken ?? ACCESS} refused`);
      },
    };
    const events: TokenEvent[] = [];
    const lines: string[] = [];
    const auth = createTokenManager(provider, {
      origins: [API],
      store: memoryStore(),
      maxAttempts: 1,
      onEvent: (event) => events.push(event),
      debug: (line) => lines.push(line),
    });
    const token = await auth.getToken();
    const caught = await auth.getToken({ forceRefresh: true } as never).catch((e: unknown) => e);
    await auth.invalidate(token);
    const again = await auth.getToken().catch((e: unknown) => e);
    await auth.close();
    const text = dump([caught, again, ...events, ...lines]);
    expect(text).not.toContain(ACCESS);
  });
});

describe("a token URL's query values are scrubbed like secrets", () => {
  const tokenUrl = `https://id.example.com/oauth2/token?code=${QUERY_SECRET}&tenant=acme`;

  it.each([
    ['raw', (v: string) => v],
    ['URI-encoded', (v: string) => encodeURIComponent(v)],
    ['base64url', (v: string) => Buffer.from(v).toString('base64url')],
    ['inside the whole URL', () => tokenUrl],
  ])('does scrub the query value quoted back %s in an error description', async (_, form) => {
    const fetch: typeof globalThis.fetch = async () =>
      Response.json(
        { error: 'invalid_grant', error_description: `code ${form(QUERY_SECRET)} expired` },
        { status: 400 },
      );
    const provider = clientCredentials({ tokenUrl, clientId: 'id', clientSecret: SECRET });
    const events: TokenEvent[] = [];
    const lines: string[] = [];
    const spans: unknown[] = [];
    const auth = createTokenManager(provider, {
      origins: [API],
      store: memoryStore(),
      fetch,
      maxAttempts: 1,
      onEvent: (event) => events.push(event),
      debug: (line) => lines.push(line),
    });
    observeTokenRequests(auth, async (_, run) => {
      try {
        return await run();
      } catch (error) {
        spans.push(error, (error as Error).message);
        throw error;
      }
    });
    const caught = await auth.getToken().catch((error: unknown) => error);
    await auth.close();
    expect(caught).toBeInstanceOf(TokenEndpointError);
    expect((caught as TokenEndpointError).errorDescription).toContain('[redacted]');
    const text = dump([caught, ...events, ...lines, ...spans, auth.label]);
    expect(text).not.toContain(QUERY_SECRET);
    expect(text).not.toContain(SECRET);
  });
});

describe('a custom provider quoting the URL it sent to', () => {
  it('does scrub the query values of every URL it sent through its context', async () => {
    const url = `https://id.example.com/token?code=${QUERY_SECRET}`;
    const provider: TokenProvider = {
      key: `custom-query-${Math.random()}`,
      fetchToken: async (context) => {
        await context.send({ url, method: 'GET' }).catch(() => undefined);
        throw new Error(`GET ${url} answered nonsense`);
      },
    };
    const fetch: typeof globalThis.fetch = async () => Response.json({}, { status: 500 });
    const events: TokenEvent[] = [];
    const lines: string[] = [];
    const auth = createTokenManager(provider, {
      origins: [API],
      store: memoryStore(),
      fetch,
      maxAttempts: 1,
      onEvent: (event) => events.push(event),
      debug: (line) => lines.push(line),
    });
    const caught = await auth.getToken().catch((error: unknown) => error);
    await auth.close();
    expect(String((caught as Error).message)).toContain('[redacted]');
    expect(dump([caught, ...events, ...lines])).not.toContain(QUERY_SECRET);
  });
});

describe('a custom store quoting the token it was given', () => {
  function quotingStore(failing: 'set' | 'delete' | 'get' | 'rateGate'): TokenStore {
    const inner = memoryStore();
    let held: Token | undefined;
    const store: TokenStore = {
      get: async (key) => {
        if (failing === 'get' && held) throw new Error(`GET failed for ${held.accessToken}`);
        return inner.get(key);
      },
      set: async (key, token, ttl) => {
        held = token;
        if (failing === 'set') {
          throw new Error(`SET ${key} ${JSON.stringify(token)} failed`, {
            cause: new Error(`value was ${token.accessToken}`),
          });
        }
        return inner.set(key, token, ttl);
      },
      delete: async (key, token) => {
        if (failing === 'delete') throw `DEL ${token.accessToken} failed`;
        return inner.delete(key, token);
      },
      ...(failing === 'rateGate'
        ? {
            rateGate: {
              take: async () => {
                throw new Error(`gate saw ${held?.accessToken}`);
              },
            },
          }
        : {}),
    };
    return store;
  }

  it.each(['set', 'delete', 'get', 'rateGate'] as const)(
    'does not print the token when %s() fails',
    async (failing) => {
      const provider: TokenProvider = {
        key: `store-${failing}-${Math.random()}`,
        secrets: [SECRET],
        ...(failing === 'rateGate'
          ? { rateLimit: { requests: 100, intervalMs: 1_000, key: 'k' } }
          : {}),
        fetchToken: async () => {
          const now = Date.now();
          return {
            accessToken: ACCESS,
            tokenType: 'Bearer',
            issuedAt: now,
            expiresAt: now + 3_600_000,
          };
        },
      };
      const events: TokenEvent[] = [];
      const lines: string[] = [];
      const auth = createTokenManager(provider, {
        origins: [API],
        store: quotingStore(failing),
        onEvent: (event) => events.push(event),
        debug: (line) => lines.push(line),
      });
      const token = await auth.getToken();
      expect(token.accessToken).toBe(ACCESS);
      await auth.invalidate(token);
      await auth.getToken();
      await auth.close();
      const errors = events.filter((e) => e.type === 'store_error');
      expect(errors.length).toBeGreaterThan(0);
      expect(lines.some((line) => line.includes('store_error'))).toBe(true);
      const text = dump([...events, ...lines]);
      expect(text).not.toContain(ACCESS);
      expect(text).toContain('[redacted]');
    },
  );
});
