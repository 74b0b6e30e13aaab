import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientCredentials } from '../src/credentials/client-credentials.ts';
import { base64url } from '../src/credentials/encoding.ts';
import {
  cacheKey,
  credentialFingerprint,
  hmacSha256,
  sha256,
} from '../src/credentials/fingerprint.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('sha256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('matches the FIPS 180-4 vector for %j', (input, expected) => {
    expect(hex(sha256(input))).toBe(expected);
  });

  it('matches node:crypto on random bytes of every length around the block boundaries (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        expect(hex(sha256(bytes))).toBe(createHash('sha256').update(bytes).digest('hex'));
      }),
      { numRuns: 400 },
    );
  });

  it('hashes strings as UTF-8, like node:crypto (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        expect(hex(sha256(text))).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
      }),
    );
  });

  it('handles a million bytes', () => {
    const bytes = new Uint8Array(1_000_000).fill(0x61);
    expect(hex(sha256(bytes))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });
});

describe('hmacSha256', () => {
  it('matches the RFC 4231 test case 2', () => {
    expect(hex(hmacSha256('Jefe', 'what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('matches node:crypto for random keys (short, 64-byte, longer than a block) and messages (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        (key, message) => {
          expect(hex(hmacSha256(key, message))).toBe(
            createHmac('sha256', key).update(message).digest('hex'),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('matches node:crypto for string keys and messages (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), fc.string({ maxLength: 100 }), (key, message) => {
        expect(hex(hmacSha256(key, message))).toBe(
          createHmac('sha256', key).update(message).digest('hex'),
        );
      }),
    );
  });
});

describe('credentialFingerprint', () => {
  it('is the base64url of the first 128 bits of HMAC-SHA-256(secret, identity)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), (secret, identity) => {
        const expected = createHmac('sha256', secret)
          .update(identity)
          .digest()
          .subarray(0, 16)
          .toString('base64url');
        const fingerprint = credentialFingerprint(secret, identity);
        expect(fingerprint).toBe(expected);
        expect(fingerprint).toMatch(/^[A-Za-z0-9_-]{22}$/);
      }),
    );
  });

  it('never contains the secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6, maxLength: 40 }), (secret) => {
        expect(credentialFingerprint(secret, 'id')).not.toContain(secret);
      }),
    );
  });

  it('base64url has no padding nor + /', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });
});

describe('cacheKey', () => {
  it('never joins two different part lists into the same key (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 5 }),
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 5 }),
        (a, b) => {
          fc.pre(JSON.stringify(a) !== JSON.stringify(b));
          // Lists of one length: an empty list and [''] are the only same-key pair otherwise.
          fc.pre(a.length === b.length);
          expect(cacheKey(a)).not.toBe(cacheKey(b));
        },
      ),
    );
  });

  it("keeps clientId 'a|' apart from clientId 'a' with scope '|'", () => {
    expect(cacheKey(['a|', ''])).not.toBe(cacheKey(['a', '|']));
  });
});

describe('clientCredentials keys', () => {
  const scopeToken = fc.stringMatching(/^[\x21\x23-\x5b\x5d-\x7e]{1,5}$/);
  const config = fc.record({
    clientId: fc.stringMatching(/^\S{1,6}$/),
    // A ':' can never appear raw in a key (parts are URI-encoded, the fingerprint is base64url), so
    // a hit means the secret leaked, not that four random characters met by chance.
    clientSecret: fc.stringMatching(/^\S{4,8}$/).map((secret) => `secret:${secret}`),
    scope: fc.option(scopeToken, { nil: undefined }),
    path: fc.constantFrom('/token', '/t|', '/a%7Cb', '/token?q=QUERYMARK1', '/token?q=QUERYMARK2'),
    authMethod: fc.constantFrom('client_secret_post' as const, 'client_secret_basic' as const),
    extra: fc.option(
      fc.dictionary(fc.constantFrom('audience', 'resource'), fc.string({ maxLength: 3 })),
      {
        nil: undefined,
      },
    ),
  });
  type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;
  const build = (c: Config) =>
    clientCredentials({
      tokenUrl: `https://id.example.com${c.path}`,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      authMethod: c.authMethod,
      ...(c.scope === undefined ? {} : { scope: c.scope }),
      ...(c.extra === undefined ? {} : { extraParams: c.extra }),
    });
  const canonical = (c: unknown): string => {
    const { extra, ...rest } = c as { extra?: Record<string, string> };
    const entries = Object.entries(extra ?? {}).sort(([x], [y]) => (x < y ? -1 : 1));
    return JSON.stringify({ ...rest, extra: entries.length ? entries : undefined });
  };

  it('gives distinct configurations distinct keys, and equal ones equal keys (property)', () => {
    fc.assert(
      fc.property(config, config, (a, b) => {
        const same = canonical(a) === canonical(b);
        expect(build(a).key === build(b).key).toBe(same);
      }),
      { numRuns: 300 },
    );
  });

  it('never shows the secret, the query string nor the extra parameters in key or label (property)', () => {
    fc.assert(
      fc.property(config, (c) => {
        const provider = build(c);
        expect(provider.key).not.toContain(c.clientSecret);
        expect(provider.label).not.toContain('?');
        expect(provider.key).not.toContain('QUERYMARK');
        expect(provider.label).toBe(`client-credentials id.example.com${c.path.split('?')[0]}`);
      }),
    );
  });
});
