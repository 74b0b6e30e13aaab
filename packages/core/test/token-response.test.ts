import { describe, expect, it } from 'vitest';
import {
  MAX_LIFETIME_MS,
  type ReadTokenOptions,
  readTokenResponse,
} from '../src/endpoint/token-response.ts';
import { AuthwireError, InvalidTokenResponseError } from '../src/errors/errors.ts';

const SENT_AT = 1_700_000_000_000;
const DEFAULT_LIFETIME_MS = 300_000;
const ENDPOINT = 'https://id.example.com/oauth2/token';

function read(body: unknown, options: Partial<ReadTokenOptions> = {}) {
  return readTokenResponse(body, {
    endpoint: ENDPOINT,
    status: 200,
    sentAt: SENT_AT,
    defaultLifetimeMs: DEFAULT_LIFETIME_MS,
    ...options,
  });
}

/** The error `fn` throws (fails the test when it does not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function expectInvalid(body: unknown, problem: RegExp, options: Partial<ReadTokenOptions> = {}) {
  const error = thrown(() => read(body, options));
  expect(error).toBeInstanceOf(InvalidTokenResponseError);
  expect(error).toBeInstanceOf(AuthwireError);
  const invalid = error as InvalidTokenResponseError;
  expect(invalid.code).toBe('invalid_token_response');
  expect(invalid.endpoint).toBe(options.endpoint ?? ENDPOINT);
  expect(invalid.status).toBe(options.status ?? 200);
  expect(invalid.message).toMatch(problem);
  return invalid;
}

/** An unsigned JWT with standard-base64 encoding. */
function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.sig`;
}

describe('readTokenResponse takes the expiry from expires_in, measured from sentAt', () => {
  it('reads a number of seconds', () => {
    const token = read({ access_token: 'abc', expires_in: 3600 });
    expect(token.issuedAt).toBe(SENT_AT);
    expect(token.expiresAt).toBe(SENT_AT + 3_600_000);
  });

  it('measures from sentAt, not from the wall clock', () => {
    const token = read({ access_token: 'abc', expires_in: 60 }, { sentAt: 5_000 });
    expect(token.issuedAt).toBe(5_000);
    expect(token.expiresAt).toBe(65_000);
  });

  it.each([
    ['"3600"', '3600', 3_600_000],
    ['" 120 " (surrounding spaces)', ' 120 ', 120_000],
    ['"1.5"', '1.5', 1_500],
  ])('reads the numeric string %s', (_label, expiresIn, lifetime) => {
    expect(read({ access_token: 'abc', expires_in: expiresIn }).expiresAt).toBe(SENT_AT + lifetime);
  });

  it('keeps a fractional number of seconds', () => {
    expect(read({ access_token: 'abc', expires_in: 0.5 }).expiresAt).toBe(SENT_AT + 500);
  });

  it('prefers expires_in over a JWT exp claim', () => {
    const accessToken = jwt({ iat: SENT_AT / 1000, exp: SENT_AT / 1000 + 7200 });
    expect(read({ access_token: accessToken, expires_in: 60 }).expiresAt).toBe(SENT_AT + 60_000);
  });

  it('treats expires_in: null as absent', () => {
    expect(read({ access_token: 'abc', expires_in: null }).expiresAt).toBe(
      SENT_AT + DEFAULT_LIFETIME_MS,
    );
  });

  it.each([
    ['negative', -1],
    ['zero', 0],
    ['the string "0"', '0'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['"abc"', 'abc'],
    ['an empty string', ''],
    ['"-5"', '-5'],
    ['"1e3" (exponent notation)', '1e3'],
    ['"3600s"', '3600s'],
    ['an object', { seconds: 3600 }],
    ['an array', [3600]],
    ['a boolean', true],
  ])('refuses expires_in that is %s', (_label, expiresIn) => {
    expectInvalid({ access_token: 'abc', expires_in: expiresIn }, /expires_in/);
  });

  it('caps a huge expires_in at MAX_LIFETIME_MS (one day)', () => {
    expect(MAX_LIFETIME_MS).toBe(86_400_000);
    const token = read({ access_token: 'abc', expires_in: 10 * 365 * 86_400 });
    expect(token.expiresAt).toBe(SENT_AT + MAX_LIFETIME_MS);
  });

  it('does not cap a lifetime just under the maximum', () => {
    const token = read({ access_token: 'abc', expires_in: 86_399 });
    expect(token.expiresAt).toBe(SENT_AT + 86_399_000);
  });
});

describe('readTokenResponse falls back to the JWT exp claim when expires_in is absent', () => {
  it('uses exp − iat, so the result does not depend on our clock (skew-free)', () => {
    // The server's clock is 40 minutes ahead of ours.
    const iat = SENT_AT / 1000 + 2400;
    const accessToken = jwt({ iat, exp: iat + 900 });
    for (const sentAt of [SENT_AT, SENT_AT + 123_456, SENT_AT - 9_999_999]) {
      const token = read({ access_token: accessToken }, { sentAt });
      expect(token.expiresAt - token.issuedAt).toBe(900_000);
      expect(token.issuedAt).toBe(sentAt);
    }
  });

  it('uses exp − sentAt when there is no iat', () => {
    const accessToken = jwt({ exp: SENT_AT / 1000 + 600 });
    expect(read({ access_token: accessToken }).expiresAt).toBe(SENT_AT + 600_000);
  });

  it('uses exp − sentAt when iat is not a number', () => {
    const accessToken = jwt({ iat: String(SENT_AT / 1000), exp: SENT_AT / 1000 + 600 });
    expect(read({ access_token: accessToken }).expiresAt).toBe(SENT_AT + 600_000);
  });

  it('uses exp − sentAt when iat is not before exp', () => {
    const accessToken = jwt({ iat: SENT_AT / 1000 + 5000, exp: SENT_AT / 1000 + 600 });
    expect(read({ access_token: accessToken }).expiresAt).toBe(SENT_AT + 600_000);
  });

  it('uses the default lifetime when exp (without iat) is already past (our clock is ahead)', () => {
    const accessToken = jwt({ exp: SENT_AT / 1000 - 60 });
    expect(read({ access_token: accessToken }).expiresAt).toBe(SENT_AT + DEFAULT_LIFETIME_MS);
  });

  it('uses the default lifetime when exp is not a number', () => {
    const accessToken = jwt({ exp: String(SENT_AT / 1000 + 600) });
    expect(read({ access_token: accessToken }).expiresAt).toBe(SENT_AT + DEFAULT_LIFETIME_MS);
  });

  it('reads an Oracle-style token (standard base64 with + / =)', () => {
    const claims = { sub: '??>>??~~', iat: SENT_AT / 1000, exp: SENT_AT / 1000 + 300 };
    const payload = btoa(JSON.stringify(claims));
    expect(payload).toMatch(/[+/=]/);
    const accessToken = `${btoa('{"alg":"HS256"}')}.${payload}.c2ln+/=`;
    const token = read({ access_token: accessToken, token_type: 'bearer' });
    expect(token.expiresAt).toBe(SENT_AT + 300_000);
    expect(token.accessToken).toBe(accessToken);
  });

  it('caps a JWT lifetime at MAX_LIFETIME_MS', () => {
    const accessToken = jwt({ iat: SENT_AT / 1000, exp: SENT_AT / 1000 + 30 * 86_400 });
    expect(read({ access_token: accessToken }).expiresAt).toBe(SENT_AT + MAX_LIFETIME_MS);
  });
});

describe('readTokenResponse uses defaultLifetimeMs when nothing tells the expiry', () => {
  it('for an opaque token', () => {
    expect(read({ access_token: 'opaque-token' }).expiresAt).toBe(SENT_AT + DEFAULT_LIFETIME_MS);
  });

  it('honouring the given default', () => {
    const token = read({ access_token: 'opaque' }, { defaultLifetimeMs: 42_000 });
    expect(token.expiresAt).toBe(SENT_AT + 42_000);
  });

  it('capping a default beyond MAX_LIFETIME_MS', () => {
    const token = read({ access_token: 'opaque' }, { defaultLifetimeMs: 10 * MAX_LIFETIME_MS });
    expect(token.expiresAt).toBe(SENT_AT + MAX_LIFETIME_MS);
  });
});

describe('readTokenResponse validates access_token', () => {
  it('returns the access token as given', () => {
    expect(read({ access_token: 'a.b-c_d~e+f/g=' }).accessToken).toBe('a.b-c_d~e+f/g=');
  });

  it.each([
    ['missing', {}],
    ['null', { access_token: null }],
    ['empty', { access_token: '' }],
    ['blank', { access_token: '   ' }],
    ['a number', { access_token: 12345 }],
    ['an object', { access_token: { value: 'abc' } }],
    ['an array', { access_token: ['abc'] }],
  ])('refuses an access_token that is %s', (_label, body) => {
    expectInvalid(body, /access_token/);
  });

  it.each([
    ['a space', 'abc def'],
    ['a leading space', ' abc'],
    ['a tab', 'abc\tdef'],
    ['a newline', 'abc\ndef'],
    ['a CR LF (header injection)', 'abc\r\nX-Evil: 1'],
    ['a double quote', 'abc"def'],
    ['a backslash', 'abc\\def'],
  ])('refuses an access_token containing %s', (_label, accessToken) => {
    const error = expectInvalid({ access_token: accessToken }, /header/);
    // The message must not carry the (broken) token itself.
    expect(error.message).not.toContain(accessToken.trim());
  });

  it.each([
    ['NUL', 'abc\u0000def'],
    ['a C0 control', 'abc\u0001def'],
    ['DEL', 'abc\u007fdef'],
    ['a character a ByteString cannot hold', 'abc€def'],
  ])('refuses an access_token containing %s', (_label, accessToken) => {
    expectInvalid({ access_token: accessToken }, /header/);
  });

  it('puts the endpoint and HTTP status in the error', () => {
    const error = expectInvalid({}, /access_token/, {
      endpoint: 'https://other.example.com/token',
      status: 201,
    });
    expect(error.message).toContain('https://other.example.com/token');
    expect(error.message).toContain('HTTP 201');
  });
});

describe('readTokenResponse reads token_type', () => {
  it('defaults to Bearer when absent', () => {
    expect(read({ access_token: 'abc' }).tokenType).toBe('Bearer');
  });

  it('defaults to Bearer when null', () => {
    expect(read({ access_token: 'abc', token_type: null }).tokenType).toBe('Bearer');
  });

  it.each(['bearer', 'Bearer', 'BEARER'])('keeps %s as given', (tokenType) => {
    expect(read({ access_token: 'abc', token_type: tokenType }).tokenType).toBe(tokenType);
  });

  it.each(['DPoP', 'MAC', 'mac', 'Basic', 'N_A'])(
    'refuses %s unless the request opts in (RFC 6749 §7.1)',
    (tokenType) => {
      expectInvalid({ access_token: 'abc', token_type: tokenType }, /token_type/);
      expect(
        read(
          { access_token: 'abc', token_type: tokenType },
          { tokenTypes: [tokenType.toLowerCase()] },
        ).tokenType,
      ).toBe(tokenType);
    },
  );

  it.each([
    ['a number', 1],
    ['an object', { type: 'Bearer' }],
    ['an empty string', ''],
    ['a boolean', true],
  ])('refuses a token_type that is %s', (_label, tokenType) => {
    expectInvalid({ access_token: 'abc', token_type: tokenType }, /token_type/);
  });

  it.each([
    ['CR LF', 'Bearer\r\nX-Evil: 1'],
    ['a space', 'Bearer extra'],
    ['NUL', 'Bearer\u0000'],
  ])('refuses a token_type containing %s', (_label, tokenType) => {
    expectInvalid({ access_token: 'abc', token_type: tokenType }, /token_type/);
  });
});

describe('readTokenResponse reads scope', () => {
  it('keeps a space-delimited string', () => {
    expect(read({ access_token: 'abc', scope: 'orders:read orders:write' }).scope).toBe(
      'orders:read orders:write',
    );
  });

  it('joins an array with spaces', () => {
    expect(read({ access_token: 'abc', scope: ['orders:read', 'orders:write'] }).scope).toBe(
      'orders:read orders:write',
    );
  });

  it('leaves scope out when absent', () => {
    expect('scope' in read({ access_token: 'abc' })).toBe(false);
  });

  it('leaves scope out when it is neither a string nor an array', () => {
    expect('scope' in read({ access_token: 'abc', scope: 42 })).toBe(false);
    expect('scope' in read({ access_token: 'abc', scope: { a: 1 } })).toBe(false);
  });

  it('returns only the Token fields (no refresh_token or other extras)', () => {
    const token = read({
      access_token: 'abc',
      expires_in: 60,
      refresh_token: 'rt-secret',
      id_token: 'x',
      scope: 's',
    });
    expect(Object.keys(token).sort()).toEqual([
      'accessToken',
      'expiresAt',
      'issuedAt',
      'scope',
      'tokenType',
    ]);
    expect(JSON.stringify(token)).not.toContain('rt-secret');
  });
});

describe('readTokenResponse refuses a body that is not a JSON object', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'access_token=abc'],
    ['a number', 42],
    ['a boolean', true],
    ['an array', [{ access_token: 'abc' }]],
  ])('when it is %s', (_label, body) => {
    expectInvalid(body, /not a JSON object/);
  });
});
