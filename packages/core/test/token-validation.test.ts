import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { clientCredentials } from '../src/credentials/client-credentials.ts';
import { type SendOptions, sendRequest, sendTokenRequest } from '../src/endpoint/token-request.ts';
import { MAX_LIFETIME_MS, validateToken } from '../src/endpoint/token-response.ts';
import {
  InvalidTokenResponseError,
  ResponseTooLargeError,
  TokenEndpointError,
} from '../src/errors/errors.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../src/options/settings.ts';
import type { TokenRequest } from '../src/types.ts';

const NOW = 1_700_000_000_000;
const URL_ = 'https://id.example.com/ccadmin/v1/refresh';
const SECRET = 'app-key-Secret-77aa';
const LIVE_TOKEN = 'live.Access-Token.abc123XYZ';

function options(fetch: typeof globalThis.fetch, extra: Partial<SendOptions> = {}): SendOptions {
  return {
    fetch,
    now: () => NOW,
    signal: new AbortController().signal,
    secrets: [SECRET],
    defaultLifetimeMs: 300_000,
    defaultRetryAfterMs: 30_000,
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function everything(error: unknown): string {
  const parts = [inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)];
  for (let e = error as Error | undefined, i = 0; e && i < 8; e = e.cause as Error, i++) {
    parts.push(String(e.message), String(e.stack));
  }
  return parts.join('\n');
}

describe('validateToken', () => {
  const good = {
    accessToken: 'abc.def',
    tokenType: 'Bearer',
    issuedAt: NOW,
    expiresAt: NOW + 60_000,
  };

  it('returns a good token itself', () => {
    const given = { ...good, scope: 'a b' };
    expect(validateToken(given, 'store entry')).toBe(given);
  });

  it.each<[string, Record<string, unknown>]>([
    ['no issuedAt', { issuedAt: undefined }],
    ['NaN issuedAt', { issuedAt: Number.NaN }],
    ['NaN expiresAt', { expiresAt: Number.NaN }],
    ['Infinity expiresAt', { expiresAt: Number.POSITIVE_INFINITY }],
    ['a string expiresAt', { expiresAt: String(NOW + 1) }],
    ['expiresAt before issuedAt', { expiresAt: NOW - 1 }],
    ['expiresAt equal to issuedAt', { expiresAt: NOW }],
    ['expiresAt 1e15', { expiresAt: 1e15 }],
    ['a lifetime over 24 h', { expiresAt: NOW + MAX_LIFETIME_MS + 1 }],
    ['an empty accessToken', { accessToken: '' }],
    ['a CR/LF accessToken', { accessToken: `${SECRET}\r\nX-Evil: 1` }],
    ['a spaced accessToken', { accessToken: 'a b' }],
    ['a number accessToken', { accessToken: 5 }],
    ["tokenType ''", { tokenType: '' }],
    ['tokenType mac', { tokenType: 'mac' }],
    ['tokenType Basic', { tokenType: 'Basic' }],
    ['tokenType with CR/LF', { tokenType: 'Bearer\r\n' }],
    ['a number scope', { scope: 5 }],
  ])('refuses a token with %s, without quoting it', (_label, change) => {
    const error = (() => {
      try {
        validateToken({ ...good, ...change }, 'store entry');
      } catch (e) {
        return e;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect((error as InvalidTokenResponseError).code).toBe('invalid_token_response');
    expect((error as Error).message).toContain('store entry');
    expect(everything(error)).not.toContain(SECRET);
  });

  it.each([null, undefined, 'token', 5, []])('refuses %j', (value) => {
    expect(() => validateToken(value, 'provider.fetchToken()')).toThrow(InvalidTokenResponseError);
  });

  it('accepts another token type when the caller opts in', () => {
    expect(
      validateToken({ ...good, tokenType: 'DPoP' }, 'x', { tokenTypes: ['dpop'] }).tokenType,
    ).toBe('DPoP');
  });
});

describe('sendTokenRequest reads token_type strictly', () => {
  const answer = (tokenType: string) =>
    vi.fn<typeof fetch>(async () =>
      Response.json({ access_token: 'at-1', token_type: tokenType, expires_in: 60 }),
    );
  it.each(['mac', 'Basic', 'MAC', 'N_A'])('refuses %s by default', async (type) => {
    const error = await rejection(sendTokenRequest({ url: URL_ }, options(answer(type))));
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect(error.message).toContain('token_type');
  });

  it('accepts it when the request lists it', async () => {
    const token = await sendTokenRequest(
      { url: URL_, tokenTypes: ['bearer', 'dpop'] },
      options(answer('DPoP')),
    );
    expect(token.tokenType).toBe('DPoP');
  });
});

describe('send and request scrub the credential the request itself sent', () => {
  const echo = vi.fn<typeof fetch>(async (_url, init) => {
    const authorization = new Headers(init?.headers).get('authorization') ?? '';
    const bearer = authorization.slice('Bearer '.length);
    return Response.json(
      {
        message: `token ${bearer} / ${encodeURIComponent(bearer).toLowerCase()} / ${btoa(bearer)} rejected`,
        error: 'invalid_token',
        error_description: `bad ${JSON.stringify(bearer).slice(1, -1)} \u001b[31m!\r\n`,
      },
      { status: 401 },
    );
  });
  const request: TokenRequest = {
    url: URL_,
    headers: { Authorization: `Bearer ${LIVE_TOKEN}` },
  };

  it('in request()', async () => {
    const error = await rejection(sendTokenRequest(request, options(echo)));
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(everything(error)).not.toContain(LIVE_TOKEN);
    expect(everything(error)).not.toContain(btoa(LIVE_TOKEN));
    expect(error.message).not.toContain('\r');
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('\u001b');
  });

  it('in send()', async () => {
    const error = await rejection(sendRequest(request, options(echo)));
    expect(everything(error)).not.toContain(LIVE_TOKEN);
    expect((error as TokenEndpointError).errorDescription).toContain('[redacted]');
  });

  it('in a network error quoting the request', async () => {
    const failing = vi.fn<typeof fetch>(async () => {
      throw new TypeError(`fetch failed: Authorization: Bearer ${LIVE_TOKEN}`, {
        cause: new Error(`write EPIPE ${LIVE_TOKEN}`),
      });
    });
    const error = await rejection(sendRequest(request, options(failing)));
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(everything(error)).not.toContain(LIVE_TOKEN);
  });

  it('refuses a malformed header without quoting it (no TypeError)', async () => {
    const error = await rejection(
      sendRequest(
        { url: URL_, headers: { 'X-Key': `${SECRET}\r\nX-Evil: 1` } },
        options(vi.fn<typeof fetch>()),
      ),
    );
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(everything(error)).not.toContain(SECRET);
  });
});

describe('bounded reads', () => {
  const stream = (chunks: number, size: number, onCancel: () => void) =>
    new ReadableStream<Uint8Array>({
      pull(controller) {
        if (chunks-- <= 0) controller.close();
        else controller.enqueue(new Uint8Array(size).fill(0x20));
      },
      cancel: onCancel,
    });

  it('defaults to 64 KiB', () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(65_536);
  });

  it('cancels the stream and throws ResponseTooLargeError past the cap', async () => {
    const cancel = vi.fn();
    const fetch = vi.fn<typeof globalThis.fetch>(
      async () => new Response(stream(1_000, 16_384, cancel), { status: 200 }),
    );
    const error = await rejection(sendTokenRequest({ url: URL_ }, options(fetch)));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect((error as ResponseTooLargeError).code).toBe('response_too_large');
    expect((error as ResponseTooLargeError).limitBytes).toBe(65_536);
    expect(cancel).toHaveBeenCalledTimes(1);
  });

  it('refuses a declared Content-Length over the cap without reading', async () => {
    const cancel = vi.fn();
    const fetch = vi.fn<typeof globalThis.fetch>(
      async () =>
        new Response(stream(10, 10, cancel), {
          status: 200,
          headers: { 'content-length': String(50 * 1024 * 1024) },
        }),
    );
    await expect(sendTokenRequest({ url: URL_ }, options(fetch))).rejects.toBeInstanceOf(
      ResponseTooLargeError,
    );
  });

  it('applies the cap to error bodies and to send() too, and honours maxResponseBytes', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(
      async () => new Response('x'.repeat(2_000), { status: 500 }),
    );
    await expect(
      sendRequest({ url: URL_ }, options(fetch, { maxResponseBytes: 1_024 })),
    ).rejects.toBeInstanceOf(ResponseTooLargeError);
    const ok = vi.fn<typeof globalThis.fetch>(async () =>
      Response.json({ access_token: 'a', expires_in: 60, pad: 'y'.repeat(100_000) }),
    );
    const token = await sendTokenRequest({ url: URL_ }, options(ok, { maxResponseBytes: 200_000 }));
    expect(token.accessToken).toBe('a');
  });

  it('reads a multi-byte body split across chunks', async () => {
    const bytes = new TextEncoder().encode(
      JSON.stringify({ access_token: 'a', expires_in: 60, note: 'ëëë' }),
    );
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });
    const token = await sendTokenRequest(
      { url: URL_ },
      options(vi.fn<typeof fetch>(async () => new Response(body))),
    );
    expect(token.accessToken).toBe('a');
  });
});

describe('providers never show their secrets', () => {
  it('console.log / util.inspect of clientCredentials shows label and key only', () => {
    const provider = clientCredentials({
      tokenUrl: 'https://id.example.com/oauth2/token?api_key=QUERYSECRET1',
      clientId: 'client-1',
      clientSecret: SECRET,
      authMethod: 'client_secret_basic',
    });
    for (const text of [
      inspect(provider),
      inspect(provider, { showHidden: true, depth: 10 }),
      JSON.stringify(provider),
      String(Object.keys(provider)),
    ]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('QUERYSECRET1');
      expect(text).not.toContain(btoa(`client-1:${SECRET}`));
    }
    expect(inspect(provider)).toContain('client-credentials id.example.com/oauth2/token');
    // The manager still reads them.
    expect(provider.secrets).toContain(SECRET);
    expect(provider.label).toBe('client-credentials id.example.com/oauth2/token');
  });
});

describe('credential headers of clientCredentials', () => {
  it('are scrubbed like the secret; other headers are not secrets', () => {
    const provider = clientCredentials({
      tokenUrl: 'https://id.example.com/oauth2/token',
      clientId: 'client-1',
      clientSecret: SECRET,
      headers: { 'X-Api-Key': 'gateway-Key-123456', 'X-Tenant': 'acme-tenant' },
    });
    expect(provider.secrets).toContain('gateway-Key-123456');
    expect(provider.secrets).not.toContain('acme-tenant');
    expect(inspect(provider, { showHidden: true })).not.toContain('gateway-Key-123456');
  });
});

describe('a provider that declares other token types', () => {
  it('has its own Tokens and store entries of that type accepted, and others still refused', async () => {
    const { createTokenManager, memoryStore } = await import('../src/index.ts');
    const now = Date.now();
    const mac = {
      accessToken: 'mac-token-1',
      tokenType: 'mac',
      issuedAt: now,
      expiresAt: now + 600_000,
    };
    const store = memoryStore();
    await store.set('typed|1', { ...mac, accessToken: 'mac-from-store' }, 600_000);
    const declared = createTokenManager(
      { key: 'typed|1', tokenTypes: ['MAC'], fetchToken: async () => mac },
      { origins: ['https://api.example.com'], store },
    );
    expect((await declared.getToken()).accessToken).toBe('mac-from-store');
    expect((await declared.getToken({ forceRefresh: true })).accessToken).toBe('mac-token-1');
    await declared.close();
    const undeclared = createTokenManager(
      { key: 'typed|2', fetchToken: async () => mac },
      { origins: ['https://api.example.com'], store: memoryStore() },
    );
    await expect(undeclared.getToken()).rejects.toMatchObject({ code: 'invalid_token_response' });
    await undeclared.close();
  });
});

describe('a provider that throws a bare value', () => {
  it('surfaces it as an Error with the provider secrets scrubbed', async () => {
    const { createTokenManager, memoryStore } = await import('../src/index.ts');
    const secret = 'provider-secret-9f31';
    const auth = createTokenManager(
      {
        key: 'bare|1',
        secrets: [secret],
        fetchToken: () => Promise.reject(`upstream said: bad credential ${secret}`),
      },
      { origins: ['https://api.example.com'], store: memoryStore() },
    );
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain('bad credential [redacted]');
    expect(inspect(error, { depth: 10 })).not.toContain(secret);
    await auth.close();
  });
});
