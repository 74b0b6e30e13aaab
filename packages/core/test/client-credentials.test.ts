import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ClientCredentialsOptions,
  clientCredentials,
  createTokenManager,
  InsecureUrlError,
  InvalidOptionsError,
  memoryStore,
  type Token,
  type TokenManager,
  type TokenProvider,
} from '../src/index.ts';
import type { TokenRequest } from '../src/kit.ts';
import { requestAuth } from '../src/kit.ts';

const TOKEN_URL = 'https://id.example.com/oauth2/token';
const SECRET = 's3cr3t-VALUE-xyz';
const BASE: ClientCredentialsOptions = {
  tokenUrl: TOKEN_URL,
  clientId: 'client-1',
  clientSecret: SECRET,
};

const FAKE_TOKEN: Token = { accessToken: 'at', tokenType: 'Bearer', issuedAt: 0, expiresAt: 1 };

/** Runs `provider.fetchToken` with a context that records the request instead of sending it. */
async function captureRequest(provider: TokenProvider): Promise<TokenRequest> {
  const request = vi.fn(async (_request: TokenRequest) => FAKE_TOKEN);
  const send = vi.fn(async () => ({ status: 200, body: undefined }));
  const token = await provider.fetchToken({
    reason: 'initial',
    signal: new AbortController().signal,
    request,
    send,
  });
  expect(send).not.toHaveBeenCalled();
  expect(token).toBe(FAKE_TOKEN);
  expect(request).toHaveBeenCalledTimes(1);
  return request.mock.calls[0]![0];
}

function formOf(request: TokenRequest): URLSearchParams {
  return new URLSearchParams(request.body?.toString() ?? '');
}

/** RFC 6749 Appendix B decoding of one form-encoded value. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Decodes a `Basic` header into the id and secret, per RFC 6749 §2.3.1. */
function decodeBasic(header: string | undefined): { id: string; secret: string; raw: string } {
  expect(header).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
  const bytes = Uint8Array.from(atob(header!.slice('Basic '.length)), (c) => c.charCodeAt(0));
  const raw = new TextDecoder().decode(bytes);
  const colon = raw.indexOf(':');
  expect(colon).toBeGreaterThan(0);
  return { raw, id: formDecode(raw.slice(0, colon)), secret: formDecode(raw.slice(colon + 1)) };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function renderings(error: unknown): string[] {
  const e = error as Error;
  return [String(e), e.stack ?? '', JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })];
}

function expectInvalidOption(
  options: unknown,
  option: string,
  messageNamesOption = true,
): InvalidOptionsError {
  const error = thrown(() => clientCredentials(options as ClientCredentialsOptions));
  expect(error).toBeInstanceOf(InvalidOptionsError);
  const invalid = error as InvalidOptionsError;
  expect(invalid.code).toBe('invalid_options');
  expect(invalid.option).toBe(option);
  if (messageNamesOption) expect(invalid.message).toContain(option);
  for (const text of renderings(error)) expect(text).not.toContain(SECRET);
  return invalid;
}

describe('clientCredentials validates its options', () => {
  it('refuses missing options, naming options', () => {
    expectInvalidOption(undefined, 'options');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['not a string', 42],
    ['not a URL', 'id.example.com/token'],
    ['relative', '/oauth2/token'],
    ['not http(s)', 'ftp://id.example.com/token'],
    ['carrying credentials', 'https://client-1:pw@id.example.com/token'],
  ])('refuses a tokenUrl that is %s', (_label, tokenUrl) => {
    expectInvalidOption({ ...BASE, tokenUrl }, 'tokenUrl');
  });

  it.each(['http://id.example.com/token', 'http://192.168.1.10/token'])(
    'refuses the plain-http tokenUrl %s with InsecureUrlError',
    (tokenUrl) => {
      const error = thrown(() => clientCredentials({ ...BASE, tokenUrl }));
      expect(error).toBeInstanceOf(InsecureUrlError);
      expect((error as InsecureUrlError).code).toBe('insecure_url');
      expect((error as Error).message).toContain('tokenUrl');
      for (const text of renderings(error)) expect(text).not.toContain(SECRET);
    },
  );

  it.each(['http://localhost:8080/token', 'http://127.0.0.1/token', 'http://[::1]:9000/token'])(
    'accepts the loopback tokenUrl %s',
    (tokenUrl) => {
      expect(clientCredentials({ ...BASE, tokenUrl }).key).toContain(encodeURIComponent(tokenUrl));
    },
  );

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', ' \t'],
    ['not a string', 1234],
  ])('refuses a clientId that is %s', (_label, clientId) => {
    expectInvalidOption({ ...BASE, clientId }, 'clientId');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '  '],
    ['not a string', { value: SECRET }],
  ])('refuses a clientSecret that is %s, without echoing it', (_label, clientSecret) => {
    expectInvalidOption({ ...BASE, clientSecret }, 'clientSecret');
  });

  it.each(['private_key_jwt', 'CLIENT_SECRET_POST', ''])(
    'refuses the authMethod %j, without echoing the secret',
    (authMethod) => {
      expectInvalidOption({ ...BASE, authMethod }, 'authMethod');
    },
  );

  it('names the secret option but not its value when the secret itself is the problem', () => {
    const error = expectInvalidOption({ ...BASE, clientSecret: '    ' }, 'clientSecret');
    expect(error.message).toMatch(/^clientSecret must be a non-empty string/);
  });
});

describe('clientCredentials builds RFC 6749 §4.4 requests', () => {
  it('POSTs grant_type, client_id and client_secret in the body by default (client_secret_post)', async () => {
    const request = await captureRequest(clientCredentials(BASE));
    expect(request.url).toBe(TOKEN_URL);
    expect(request.method ?? 'POST').toBe('POST');
    const form = formOf(request);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_id')).toBe('client-1');
    expect(form.get('client_secret')).toBe(SECRET);
    expect(form.has('scope')).toBe(false);
    expect(Object.keys(request.headers ?? {}).map((h) => h.toLowerCase())).not.toContain(
      'authorization',
    );
  });

  it('form-encodes awkward credentials in the body', async () => {
    const clientSecret = 'p:ss w%rd&x=1+é';
    const request = await captureRequest(clientCredentials({ ...BASE, clientSecret }));
    expect(formOf(request).get('client_secret')).toBe(clientSecret);
  });

  it('sends a Basic header and no credentials in the body with client_secret_basic', async () => {
    const request = await captureRequest(
      clientCredentials({ ...BASE, authMethod: 'client_secret_basic' }),
    );
    const form = formOf(request);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.has('client_secret')).toBe(false);
    expect(form.has('client_id')).toBe(false);
    expect(request.body?.toString()).not.toContain(SECRET);
    expect(request.headers?.Authorization).toBe(`Basic ${btoa(`client-1:${SECRET}`)}`);
  });

  it('form-encodes id and secret before base64 (RFC 6749 §2.3.1)', async () => {
    const clientId = 'client:one é';
    const clientSecret = 'a:b c%d+e/f?g€ü~';
    const request = await captureRequest(
      clientCredentials({ ...BASE, clientId, clientSecret, authMethod: 'client_secret_basic' }),
    );
    const decoded = decodeBasic(request.headers?.Authorization);
    expect(decoded.id).toBe(clientId);
    expect(decoded.secret).toBe(clientSecret);
    // Only one unencoded colon: the separator. Spaces become "+", "%" becomes "%25".
    expect(decoded.raw.split(':')).toHaveLength(2);
    expect(decoded.raw).toContain('a%3Ab+c%25d%2Be%2Ff%3Fg%E2%82%AC%C3%BC');
    expect(decoded.raw).toMatch(/^[\x21-\x7e]+$/);
  });

  it('encodes a simple secret exactly', async () => {
    const request = await captureRequest(
      clientCredentials({
        ...BASE,
        clientId: 'id',
        clientSecret: 'p:ss w%rd',
        authMethod: 'client_secret_basic',
      }),
    );
    expect(request.headers?.Authorization).toBe(`Basic ${btoa('id:p%3Ass+w%25rd')}`);
  });

  it('sends a scope string, trimmed', async () => {
    const request = await captureRequest(
      clientCredentials({ ...BASE, scope: '  orders inventory ' }),
    );
    expect(formOf(request).get('scope')).toBe('orders inventory');
  });

  it('joins a scope array with spaces', async () => {
    const request = await captureRequest(
      clientCredentials({ ...BASE, scope: ['orders', 'inventory:read'] }),
    );
    expect(formOf(request).get('scope')).toBe('orders inventory:read');
  });

  it.each([
    ['an empty string', ''],
    ['a blank string', '   '],
    ['an empty array', []],
  ])('sends no scope for %s', async (_label, scope) => {
    const request = await captureRequest(clientCredentials({ ...BASE, scope }));
    expect(formOf(request).has('scope')).toBe(false);
  });

  it('adds extraParams to the body', async () => {
    const request = await captureRequest(
      clientCredentials({
        ...BASE,
        extraParams: { audience: 'https://api.example.com', resource: 'urn:x' },
      }),
    );
    const form = formOf(request);
    expect(form.get('audience')).toBe('https://api.example.com');
    expect(form.get('resource')).toBe('urn:x');
    expect(form.get('client_secret')).toBe(SECRET);
  });

  it('does not let extraParams replace the credentials', async () => {
    const request = await captureRequest(
      clientCredentials({ ...BASE, extraParams: { client_id: 'evil', client_secret: 'nope' } }),
    );
    expect(formOf(request).getAll('client_id')).toEqual(['client-1']);
    expect(formOf(request).getAll('client_secret')).toEqual([SECRET]);
  });

  it('passes extra headers, next to the Basic header, without changing the given object', async () => {
    const headers = Object.freeze({ 'X-Tenant': 't1', 'User-Agent': 'authwire-test' });
    const post = await captureRequest(clientCredentials({ ...BASE, headers }));
    expect(post.headers).toEqual({ 'X-Tenant': 't1', 'User-Agent': 'authwire-test' });
    const basic = await captureRequest(
      clientCredentials({ ...BASE, headers, authMethod: 'client_secret_basic' }),
    );
    expect(basic.headers).toMatchObject({ 'X-Tenant': 't1', 'User-Agent': 'authwire-test' });
    expect(basic.headers?.Authorization).toMatch(/^Basic /);
    expect(headers).toEqual({ 'X-Tenant': 't1', 'User-Agent': 'authwire-test' });
  });

  it('builds a fresh body for every fetch', async () => {
    const provider = clientCredentials({ ...BASE, scope: 'a' });
    const first = await captureRequest(provider);
    const second = await captureRequest(provider);
    expect(second.body).not.toBe(first.body);
    expect(second.body?.toString()).toBe(first.body?.toString());
  });
});

describe('clientCredentials describes itself to the manager', () => {
  it('declares the client secret as a secret', () => {
    expect(clientCredentials(BASE).secrets).toEqual([SECRET]);
  });

  it('passes defaultLifetimeMs through, and leaves it out when not given', () => {
    expect(clientCredentials({ ...BASE, defaultLifetimeMs: 60_000 }).defaultLifetimeMs).toBe(
      60_000,
    );
    expect('defaultLifetimeMs' in clientCredentials(BASE)).toBe(false);
  });

  it('declares no origins of its own (the manager must be told)', () => {
    expect(clientCredentials(BASE).origins).toBeUndefined();
  });

  it('keeps the secret out of the cache key, but binds the key to it', () => {
    const key = clientCredentials(BASE).key;
    expect(key).not.toContain(SECRET);
    // Another secret is another credential: it must never be handed this one's token.
    expect(clientCredentials({ ...BASE, clientSecret: 'another-secret' }).key).not.toBe(key);
    expect(clientCredentials({ ...BASE }).key).toBe(key);
    const basic = clientCredentials({ ...BASE, authMethod: 'client_secret_basic' }).key;
    expect(basic).not.toContain(SECRET);
    expect(basic).not.toContain(btoa(`client-1:${SECRET}`));
  });

  it.each<[string, Partial<ClientCredentialsOptions>]>([
    ['scope', { scope: 'orders' }],
    ['client id', { clientId: 'client-2' }],
    ['token URL', { tokenUrl: 'https://id.example.com/other/token' }],
    ['token URL host', { tokenUrl: 'https://id2.example.com/oauth2/token' }],
    ['authMethod', { authMethod: 'client_secret_basic' }],
    ['extraParams', { extraParams: { audience: 'x' } }],
  ])('makes the cache key differ by %s', (_label, change) => {
    expect(clientCredentials({ ...BASE, ...change }).key).not.toBe(clientCredentials(BASE).key);
  });

  it('gives the same key for a scope string and the equivalent array', () => {
    expect(clientCredentials({ ...BASE, scope: 'a b' }).key).toBe(
      clientCredentials({ ...BASE, scope: ['a', 'b'] }).key,
    );
  });

  it('gives the same key whatever the order of extraParams', () => {
    expect(clientCredentials({ ...BASE, extraParams: { a: '1', b: '2' } }).key).toBe(
      clientCredentials({ ...BASE, extraParams: { b: '2', a: '1' } }).key,
    );
  });
});

describe('clientCredentials refuses to run in a browser', () => {
  const g = globalThis as { window?: unknown };
  const hadWindow = 'window' in g;
  const previous = g.window;

  afterEach(() => {
    if (hadWindow) g.window = previous;
    else delete g.window;
  });

  it('throws InvalidOptionsError for clientSecret when window.document exists', () => {
    g.window = { document: {} };
    const error = expectInvalidOption(BASE, 'clientSecret', false);
    expect(error.message).toMatch(/browser/);
    expect(error.message).toMatch(/allowBrowser/);
  });

  it('allows it with allowBrowser: true', () => {
    g.window = { document: {} };
    expect(clientCredentials({ ...BASE, allowBrowser: true }).key).toContain('client-1');
  });

  it('is not fooled by a window without a document (e.g. some server runtimes)', () => {
    g.window = {};
    expect(() => clientCredentials(BASE)).not.toThrow();
  });

  it('runs in plain Node', () => {
    expect('window' in globalThis && (globalThis as { window?: unknown }).window).toBeFalsy();
    expect(() => clientCredentials(BASE)).not.toThrow();
  });
});

describe('clientCredentials with createTokenManager', () => {
  const managers: TokenManager[] = [];
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.close()));
  });

  function setup(options: Partial<ClientCredentialsOptions> = {}, tokenType = 'Bearer') {
    const fetchMock = vi.fn<typeof fetch>(
      async () =>
        new Response(
          JSON.stringify({ access_token: 'at-123', token_type: tokenType, expires_in: 3600 }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        ),
    );
    const auth = createTokenManager(clientCredentials({ ...BASE, ...options }), {
      fetch: fetchMock,
      origins: ['https://api.example.com'],
      store: memoryStore(),
    });
    managers.push(auth);
    return { auth, fetchMock };
  }

  it('authorizes a request to an allowed origin with a Bearer header', async () => {
    const { auth, fetchMock } = setup({ scope: 'orders' });
    const authorization = await auth.authorize('https://api.example.com/orders?page=2');
    expect(authorization?.headers).toEqual({ Authorization: 'Bearer at-123' });
    expect(authorization?.token.accessToken).toBe('at-123');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [input, requestInit] = fetchMock.mock.calls[0]!;
    expect(String(input)).toBe(TOKEN_URL);
    const form = new URLSearchParams(String(requestInit?.body));
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_id')).toBe('client-1');
    expect(form.get('client_secret')).toBe(SECRET);
    expect(form.get('scope')).toBe('orders');
  });

  it('sends the Basic header to the token endpoint with client_secret_basic', async () => {
    const { auth, fetchMock } = setup({ authMethod: 'client_secret_basic' });
    await auth.authorize('https://api.example.com/x');
    const headers = new Headers(fetchMock.mock.calls[0]![1]?.headers);
    expect(decodeBasic(headers.get('authorization') ?? undefined)).toMatchObject({
      id: 'client-1',
      secret: SECRET,
    });
  });

  it('normalises a lower-case "bearer" token_type to the Bearer scheme', async () => {
    const { auth } = setup({}, 'bearer');
    const authorization = await auth.authorize('https://api.example.com/');
    expect(authorization?.headers.Authorization).toBe('Bearer at-123');
    expect(authorization?.token.tokenType).toBe('bearer');
  });

  it.each([
    'https://other.example.com/orders',
    'http://api.example.com/orders',
    'https://api.example.com:8443/orders',
    'https://api.example.com.evil.com/orders',
    'not a url',
  ])('returns undefined for %s, without a token request', async (url) => {
    const { auth, fetchMock } = setup();
    expect(await auth.authorize(url)).toBeUndefined();
    expect(requestAuth(auth).allows(url)).toBe(false);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('matches origins regardless of case and default port', async () => {
    const { auth } = setup();
    expect((await auth.authorize('https://API.Example.com:443/x'))?.headers.Authorization).toBe(
      'Bearer at-123',
    );
  });

  it('reuses the cached token for a second request', async () => {
    const { auth, fetchMock } = setup();
    await auth.authorize('https://api.example.com/a');
    await auth.authorize(new URL('https://api.example.com/b'));
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
