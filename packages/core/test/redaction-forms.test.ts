import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  RateLimitedError,
  scrubbedError,
  TokenEndpointError,
} from '../src/errors/errors.ts';
import { cleanServerText, sanitizeText, scrub } from '../src/errors/redact.ts';
import { clampTimer, MAX_TIMER_MS, MAX_WAIT_MS } from '../src/options/settings.ts';
import { parseRetryAfter } from '../src/rate-limit/backoff.ts';

const SECRET = 'sëcret/+=&?:Kx7 "q"\\';

/** Every encoding a server may quote a credential back in. */
function encodings(secret: string): Record<string, string> {
  const bytes = new TextEncoder().encode(secret);
  const b64 = Buffer.from(bytes).toString('base64');
  return {
    raw: secret,
    uri: encodeURIComponent(secret),
    'uri, lower-case escapes': encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) =>
      e.toLowerCase(),
    ),
    'RFC 3986 strict': encodeURIComponent(secret).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    ),
    form: new URLSearchParams({ v: secret }).toString().slice(2),
    'form, lower-case escapes': new URLSearchParams({ v: secret })
      .toString()
      .slice(2)
      .replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    json: JSON.stringify(secret).slice(1, -1),
    'json, escaped slash': JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'),
    'json, ascii only (upper hex)': JSON.stringify(secret)
      .slice(1, -1)
      .replace(
        /[^\x20-\x7e]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
      ),
    base64: b64,
    'base64, unpadded': b64.replace(/=+$/, ''),
    base64url: Buffer.from(bytes).toString('base64url'),
  };
}

describe('scrub covers every form of a credential', () => {
  for (const [form, encoded] of Object.entries(encodings(SECRET))) {
    it(`removes the ${form} form`, () => {
      const out = scrub(`error: could not parse [${encoded}] in body`, [SECRET]);
      expect(out).toBe('error: could not parse [[redacted]] in body');
    });
  }

  it('removes a secret inside a longer base64 string, at any alignment (a Basic header)', () => {
    for (const id of ['a', 'ab', 'abc']) {
      const basic = Buffer.from(`${id}:${SECRET}`).toString('base64');
      const out = scrub(`Authorization: Basic ${basic}`, [SECRET]);
      // What is left cannot be decoded back to the secret.
      expect(Buffer.from(out.replace(/.*Basic /, ''), 'base64').toString()).not.toContain('Kx7');
    }
  });

  it('removes every encoding of random secrets (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 24 }), (secret) => {
        for (const [form, encoded] of Object.entries(encodings(secret))) {
          const out = scrub(`<${encoded}>`, [secret]);
          expect(out, form).toBe('<[redacted]>');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('leaves text without secrets alone, and ignores secrets shorter than 4', () => {
    expect(scrub('nothing to see', [SECRET, 'ab'])).toBe('nothing to see');
  });
});

describe('sanitizeText and cleanServerText', () => {
  it.each([
    ['CR/LF', 'bad\r\nX-Injected: 1', 'bad X-Injected: 1'],
    ['ANSI colour', '\x1b[31mred\x1b[0m text', 'red text'],
    ['OSC title', '\x1b]0;pwned\x07after', 'after'],
    ['C1 CSI (the whole sequence)', 'a\x9b31mb', 'ab'],
    ['NUL and DEL', 'a\x00b\x7fc', 'a b c'],
    ['bidi override', 'abc\u202edcba', 'abc dcba'],
    ['line separator', 'a\u2028b', 'a b'],
  ])('strips %s', (_label, input, expected) => {
    expect(sanitizeText(input)).toBe(expected);
  });

  it('bounds server text to 200 characters', () => {
    expect(cleanServerText('x'.repeat(5_000), [])).toBe(`${'x'.repeat(200)}…`);
  });

  it('scrubs a secret a server split with a control character', () => {
    const out = cleanServerText(`echo ${SECRET.slice(0, 5)}\r${SECRET.slice(5)}`, [SECRET]);
    expect(out).not.toContain('Kx7');
  });

  it('bounds every AuthwireError message', () => {
    const error = new TokenEndpointError(`x${'y'.repeat(10_000)}\n`, {
      endpoint: 'e',
      retryable: false,
    });
    expect(error.message.length).toBeLessThanOrEqual(501);
    expect(error.message).not.toMatch(/[\r\n]/);
  });
});

describe('AuthwireError rendering never shows cause text authwire did not scrub', () => {
  it('shows a raw cause by name only in util.inspect, and never in JSON', () => {
    const error = new AbortedError(new Error(`socket closed while sending ${SECRET}`));
    const shown = inspect(error, { depth: 10, showHidden: true });
    expect(shown).toContain('AbortedError');
    expect(shown).toContain('aborted');
    expect(shown).not.toContain('Kx7');
    expect(JSON.stringify(error)).not.toContain('Kx7');
    expect(JSON.stringify({ wrapped: error })).not.toContain('Kx7');
  });

  it('shows a scrubbedError cause, scrubbed, and only name and code of its own causes', () => {
    const raw = new TypeError(`fetch failed ${SECRET}`, {
      cause: Object.assign(new Error(`connect ECONNREFUSED ${SECRET}`), { code: 'ECONNREFUSED' }),
    });
    const cause = scrubbedError(raw, (text) => scrub(text, [SECRET]));
    const error = new TokenEndpointError('Token request failed', {
      endpoint: 'e',
      retryable: true,
      cause,
    });
    const shown = inspect(error, { depth: 10, showHidden: true });
    expect(shown).toContain('fetch failed [redacted]');
    expect(shown).not.toContain('Kx7');
    expect((cause!.cause as Error).message).toBe('ECONNREFUSED');
    expect((cause!.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('shows an AuthwireError cause in full', () => {
    const inner = new RateLimitedError('https://id.example.com/token', 5_000);
    const outer = new TokenEndpointError('outer', {
      endpoint: 'e',
      retryable: false,
      cause: inner,
    });
    expect(inspect(outer)).toContain('is rate limited');
  });
});

describe('Retry-After and timer ceilings', () => {
  it('exports a 10-minute ceiling', () => {
    expect(MAX_WAIT_MS).toBe(600_000);
  });

  it.each([
    ['a year of seconds', '31536000'],
    ['milliseconds sent as seconds', '120000'],
    ['20 digits', '99999999999999999999'],
  ])('reads %s as the ceiling', (_label, value) => {
    expect(parseRetryAfter(value, 0)).toBe(MAX_WAIT_MS);
  });

  it('reads an HTTP date in the past as 0 and a far one as the ceiling', () => {
    const now = Date.parse('Tue, 01 Dec 2026 10:00:00 GMT');
    expect(parseRetryAfter('Tue, 01 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 Dec 2027 10:00:00 GMT', now)).toBe(MAX_WAIT_MS);
  });

  it('clamps timers below 2^31 ms', () => {
    expect(clampTimer(2 ** 31)).toBe(MAX_TIMER_MS);
    expect(clampTimer(2 ** 40)).toBe(2 ** 31 - 1);
    expect(clampTimer(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_MS);
    expect(clampTimer(-5)).toBe(0);
    expect(clampTimer(1_234)).toBe(1_234);
  });

  it('keeps every parsed Retry-After within [0, MAX_WAIT_MS] (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat().map(String), fc.string()), (value) => {
        const ms = parseRetryAfter(value, Date.now());
        if (ms !== undefined) {
          expect(ms).toBeGreaterThanOrEqual(0);
          expect(ms).toBeLessThanOrEqual(MAX_WAIT_MS);
        }
      }),
    );
  });
});
