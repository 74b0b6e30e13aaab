import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeJwtClaims } from '../src/endpoint/jwt.ts';

const HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
const SIGNATURE = 'c2lnbmF0dXJl';

/** Standard base64 (with `+`, `/` and `=` padding) of the UTF-8 bytes of `text`. */
function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function base64FromBytes(bytes: readonly number[]): string {
  return btoa(String.fromCharCode(...bytes));
}

function toBase64Url(standard: string): string {
  return standard.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function jwt(payload: string): string {
  return `${HEADER}.${payload}.${SIGNATURE}`;
}

// `?>` and `?~` encode to `/` and `+` in base64; the length leaves `=` padding.
const SPECIAL_CLAIMS = { sub: '??>>??~~', exp: 1_700_000_600, iat: 1_700_000_000, n: 'é€' };
const SPECIAL_JSON = JSON.stringify(SPECIAL_CLAIMS);
const SPECIAL_STANDARD = base64(SPECIAL_JSON);

describe('decodeJwtClaims reads the payload of a well-formed JWT', () => {
  it('uses a fixture whose standard base64 needs +, / and = (so the cases below mean something)', () => {
    expect(SPECIAL_STANDARD).toContain('+');
    expect(SPECIAL_STANDARD).toContain('/');
    expect(SPECIAL_STANDARD).toMatch(/=$/);
    expect(toBase64Url(SPECIAL_STANDARD)).toMatch(/[-_]/);
  });

  it('decodes base64url without padding (RFC 7515)', () => {
    expect(decodeJwtClaims(jwt(toBase64Url(SPECIAL_STANDARD)))).toEqual(SPECIAL_CLAIMS);
  });

  it('decodes standard base64 with +, / and = padding (Oracle style)', () => {
    expect(decodeJwtClaims(jwt(SPECIAL_STANDARD))).toEqual(SPECIAL_CLAIMS);
  });

  it('decodes standard base64 with the padding left off', () => {
    expect(decodeJwtClaims(jwt(SPECIAL_STANDARD.replace(/=+$/, '')))).toEqual(SPECIAL_CLAIMS);
  });

  it('decodes base64url that keeps its = padding', () => {
    const padded = SPECIAL_STANDARD.replace(/\+/g, '-').replace(/\//g, '_');
    expect(padded).toMatch(/=$/);
    expect(decodeJwtClaims(jwt(padded))).toEqual(SPECIAL_CLAIMS);
  });

  it('decodes a payload whose length needs two padding characters', () => {
    const claims = { exp: 10 };
    const encoded = base64(JSON.stringify(claims));
    expect(encoded).toMatch(/[^=]==$/);
    expect(decodeJwtClaims(jwt(encoded))).toEqual(claims);
    expect(decodeJwtClaims(jwt(toBase64Url(encoded)))).toEqual(claims);
  });

  it('decodes a signature-less JWT (alg none: empty third segment)', () => {
    expect(decodeJwtClaims(`${HEADER}.${base64('{"exp":5}')}.`)).toEqual({ exp: 5 });
  });

  it('returns exp and iat as they are, without judging them', () => {
    const claims = { exp: 'tomorrow', iat: null, other: [1, 2] };
    expect(decodeJwtClaims(jwt(base64(JSON.stringify(claims))))).toEqual(claims);
  });

  it('decodes multi-byte UTF-8 claims', () => {
    expect(decodeJwtClaims(jwt(base64('{"name":"Åsa Öberg 😀"}')))).toEqual({
      name: 'Åsa Öberg 😀',
    });
  });

  it('accepts up to 5 segments and refuses 6 or more', () => {
    const payload = toBase64Url(base64('{"exp":1}'));
    expect(decodeJwtClaims(`${HEADER}.${payload}.${SIGNATURE}.x.y`)).toEqual({ exp: 1 });
    expect(decodeJwtClaims(`${HEADER}.${payload}.${SIGNATURE}.x.y.z`)).toBeUndefined();
    expect(decodeJwtClaims(`${HEADER}.${payload}.a.b.c.d.e`)).toBeUndefined();
  });

  it('round-trips any JSON object in both encodings (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.boolean(),
        fc.boolean(),
        (claims, urlSafe, keepPadding) => {
          const json = JSON.stringify(claims);
          let payload = base64(json);
          if (urlSafe) payload = payload.replace(/\+/g, '-').replace(/\//g, '_');
          if (!keepPadding) payload = payload.replace(/=+$/, '');
          expect(decodeJwtClaims(jwt(payload))).toEqual(JSON.parse(json));
        },
      ),
    );
  });
});

describe('decodeJwtClaims returns undefined for anything that is not a JWT with an object payload', () => {
  it.each([
    ['an empty string', ''],
    ['an opaque token', 'c3b0e0a7-5f7e-4f1d-9d1a-6c0f0c7e9a11'],
    ['one segment of base64', base64('{"exp":1}')],
    ['an empty payload segment', `${HEADER}..${SIGNATURE}`],
    ['only dots', '...'],
    ['invalid base64 characters', jwt('!!!!$$$$')],
    ['a base64 length that cannot be valid (4n+1)', jwt('eyJhY')],
    ['base64 of text that is not JSON', jwt(base64('not json at all'))],
    ['truncated JSON', jwt(base64('{"exp":17000'))],
    ['a JSON array', jwt(base64('[1,2,3]'))],
    ['a JSON number', jwt(base64('1700000000'))],
    ['a JSON string', jwt(base64('"claims"'))],
    ['JSON null', jwt(base64('null'))],
    ['JSON true', jwt(base64('true'))],
    [
      'invalid UTF-8 (0xff inside a string)',
      jwt(base64FromBytes([...'{"a":"'].map((c) => c.charCodeAt(0)).concat(0xff, 0x22, 0x7d))),
    ],
    [
      'a lone UTF-8 continuation byte',
      jwt(base64FromBytes([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d])),
    ],
  ])('for %s', (_label, token) => {
    expect(decodeJwtClaims(token)).toBeUndefined();
  });

  it('checks that the invalid UTF-8 fixtures are otherwise well-formed JSON objects', () => {
    // Same bytes with the bad byte replaced by "x" decode fine: only the UTF-8 makes them fail.
    const ok = base64FromBytes([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x78, 0x22, 0x7d]);
    expect(decodeJwtClaims(jwt(ok))).toEqual({ a: 'x' });
  });
});

describe('decodeJwtClaims never throws', () => {
  it('for any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const result = decodeJwtClaims(text);
        expect(result === undefined || (typeof result === 'object' && result !== null)).toBe(true);
      }),
    );
  });

  it('for any 3-segment string (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        const result = decodeJwtClaims(`${a}.${b}.${c}`);
        expect(result === undefined || !Array.isArray(result)).toBe(true);
      }),
    );
  });

  it('for 3-segment strings whose payload uses only base64 characters (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9+/_=-]{0,64}$/), (payload) => {
        const result = decodeJwtClaims(jwt(payload));
        expect(result === undefined || (typeof result === 'object' && !Array.isArray(result))).toBe(
          true,
        );
      }),
    );
  });
});
