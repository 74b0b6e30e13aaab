import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InsecureUrlError, InvalidOptionsError } from '../src/errors/errors.ts';
import { MAX_WAIT_MS } from '../src/options/settings.ts';
import { backoffDelay, parseRetryAfter } from '../src/rate-limit/backoff.ts';
import { admit, blockedFor, onRateLimited } from '../src/rate-limit/rate-gate.ts';
import { TokenBucket } from '../src/rate-limit/token-bucket.ts';
import {
  allowedOrigins,
  endpointLabel,
  isLoopbackHost,
  originOf,
  secureUrl,
} from '../src/request/origins.ts';
import { isReplayable } from '../src/request/replay.ts';
import { memoryStore } from '../src/store/memory-store.ts';

/** One slot now or the wait until one is free, reserving nothing ahead (what a background refresh asks). */
function take(bucket: TokenBucket, now: number): number {
  const answer = bucket.reserve(now, 0);
  return answer.admitted ? 0 : answer.retryAfterMs;
}

describe('backoffDelay', () => {
  it('starts between half the base and the base', () => {
    expect(backoffDelay(1, 250, 10_000, 0)).toBe(125);
    expect(backoffDelay(1, 250, 10_000, 0.5)).toBe(188);
    expect(backoffDelay(1, 250, 10_000, 0.999_999)).toBe(250);
  });

  it('doubles its ceiling per attempt', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, 250, 10_000, 0.999_999))).toEqual(
      [250, 500, 1_000, 2_000, 4_000],
    );
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, 250, 10_000, 0))).toEqual([
      125, 250, 500, 1_000, 2_000,
    ]);
  });

  it('never exceeds the maximum, even for huge attempts', () => {
    expect(backoffDelay(7, 250, 10_000, 0.999_999)).toBe(10_000);
    expect(backoffDelay(50, 250, 10_000, 0.999_999)).toBe(10_000);
    expect(backoffDelay(5_000, 250, 10_000, 0.999_999)).toBe(10_000);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, 250, 10_000, 0)).toBe(5_000);
  });

  it('treats attempt 0 and negative attempts as the first', () => {
    expect(backoffDelay(0, 250, 10_000, 0)).toBe(125);
    expect(backoffDelay(-3, 250, 10_000, 0)).toBe(125);
  });

  it('is bounded, never 0, and keeps at least half its ceiling (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, extra, random) => {
          const max = base + extra;
          const delay = backoffDelay(attempt, base, max, random);
          const ceiling = Math.min(max, MAX_WAIT_MS, base * 2 ** (attempt - 1));
          expect(delay).toBeGreaterThanOrEqual(1);
          expect(delay).toBeLessThanOrEqual(Math.min(max, MAX_WAIT_MS));
          expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });

  it('never shrinks from one attempt to the next for the same random (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, random) => {
          const max = base * 40;
          expect(backoffDelay(attempt + 1, base, max, random)).toBeGreaterThanOrEqual(
            backoffDelay(attempt, base, max, random),
          );
        },
      ),
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('Sun, 06 Nov 1994 08:49:00 GMT');

  it.each([
    ['7', 7_000],
    ['0', 0],
    [' 120 ', 120_000],
    ['600', 600_000],
  ])('reads delay-seconds %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['obsolete RFC 850 date', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['asctime date', 'Sun Nov  6 08:49:37 1994'],
  ])('reads an HTTP date (%s) relative to now', (_label, value) => {
    expect(parseRetryAfter(value, now)).toBe(37_000);
  });

  it('returns 0 for a date in the past', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:48:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', now)).toBe(0);
  });

  it('returns undefined when the header is absent', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it.each(['', '   ', 'soon', 'abc', '1e3', '12abc', 'NaN'])(
    'returns undefined for the unreadable value %j',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it.each(['soon 5', 'abc 1', '-1', '10, 20', 'later 2'])(
    'returns undefined for the unreadable value %j that Date.parse half-reads',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );
});

describe('the per-endpoint records of the rate gate', () => {
  const store = memoryStore();
  const ask = (
    key: string,
    limit: { requests: number; intervalMs: number; burst: number },
    now: number,
  ) =>
    admit({
      store,
      limit: { ...limit, key },
      cacheKey: key,
      now,
      maxBlockWaitMs: 0,
      maxSlotWaitMs: 0,
      background: false,
      onStoreError: () => {},
    });
  const slow = { requests: 1, intervalMs: 1e9, burst: 1 };
  const fast = { requests: 1_000, intervalMs: 1, burst: 1 };

  it('keeps a drained bucket and a running 429 block through the sweeps that drop records at rest', async () => {
    expect((await ask('drained', slow, 0)).admitted).toBe(true);
    onRateLimited(store, { ...fast, key: 'blocked' }, 'blocked', 0, 100_000);
    // Thousands of other endpoints, each at rest a moment later: they are swept as they pile up.
    for (let i = 0; i < 5_000; i++) expect((await ask(`other-${i}`, fast, i)).admitted).toBe(true);
    expect(await ask('drained', slow, 5_000)).toMatchObject({ admitted: false });
    expect(blockedFor(store, { ...fast, key: 'blocked' }, 'blocked', 5_000)).toBe(95_000);
  });

  it('forgets a record only when a new one would answer the same', async () => {
    const bucket = new TokenBucket({ requests: 1, intervalMs: 1_000, burst: 2, key: 'k' });
    expect(bucket.isFull(0)).toBe(true);
    bucket.reserve(0, 0);
    expect(bucket.isFull(0)).toBe(false);
    expect(bucket.isFull(999)).toBe(false);
    expect(bucket.isFull(1_000)).toBe(true);
  });
});

describe('TokenBucket', () => {
  it('allows a burst of `requests` at once, then asks to wait', () => {
    const bucket = new TokenBucket({ requests: 3, intervalMs: 60_000, key: 'k' });
    expect([take(bucket, 0), take(bucket, 0), take(bucket, 0)]).toEqual([0, 0, 0]);
    expect(take(bucket, 0)).toBe(20_000);
  });

  it('uses burst as the capacity when given', () => {
    const bucket = new TokenBucket({ requests: 1, intervalMs: 1_000, burst: 5, key: 'k' });
    for (let i = 0; i < 5; i++) expect(take(bucket, 0)).toBe(0);
    expect(take(bucket, 0)).toBe(1_000);
  });

  it('keeps a capacity of at least one', () => {
    const bucket = new TokenBucket({ requests: 1, intervalMs: 1_000, burst: 0, key: 'k' });
    expect(take(bucket, 0)).toBe(0);
    expect(take(bucket, 0)).toBe(1_000);
  });

  it('holds burst alone, not requests + burst (the safe reading of "burst M more")', () => {
    const bucket = new TokenBucket({ requests: 3, intervalMs: 60_000, burst: 20, key: 'k' });
    for (let i = 0; i < 20; i++) expect(take(bucket, 0)).toBe(0);
    expect(take(bucket, 0)).toBe(20_000);
  });

  it('refills continuously over time', () => {
    const bucket = new TokenBucket({ requests: 3, intervalMs: 60_000, key: 'k' });
    for (let i = 0; i < 3; i++) take(bucket, 0);
    expect(take(bucket, 10_000)).toBe(10_000); // half a slot refilled
    expect(take(bucket, 20_000)).toBe(0);
    expect(take(bucket, 20_000)).toBe(20_000);
    expect(take(bucket, 80_000)).toBe(0); // 3 slots refilled...
    expect(take(bucket, 80_000)).toBe(0);
    expect(take(bucket, 80_000)).toBe(0);
    expect(take(bucket, 80_000)).toBe(20_000); // ...and no more than the capacity
  });

  it('does not store more than its capacity over a long idle time', () => {
    const bucket = new TokenBucket({ requests: 2, intervalMs: 1_000, key: 'k' });
    take(bucket, 0);
    const after = 86_400_000;
    expect([take(bucket, after), take(bucket, after), take(bucket, after)]).toEqual([0, 0, 500]);
  });

  it('does not refill or break when the clock goes backwards', () => {
    const bucket = new TokenBucket({ requests: 1, intervalMs: 1_000, key: 'k' });
    expect(take(bucket, 10_000)).toBe(0);
    expect(take(bucket, 5_000)).toBeGreaterThan(0);
    expect(take(bucket, 10_999)).toBeGreaterThan(0);
    expect(take(bucket, 11_000)).toBe(0);
  });

  it('estimates a wait that is enough and not more than needed (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 60 }),
        (requests, intervalMs, burst, steps) => {
          const limit = {
            requests,
            intervalMs,
            key: 'k',
            ...(burst === undefined ? {} : { burst }),
          };
          // Two buckets fed the same calls: one probes just before the estimate, one at it.
          const early = new TokenBucket(limit);
          const onTime = new TokenBucket(limit);
          let now = 0;
          for (const step of steps) {
            now += step;
            const wait = take(early, now);
            expect(take(onTime, now)).toBe(wait);
            if (wait > 0) {
              expect(wait).toBeLessThanOrEqual(Math.ceil(intervalMs / requests));
              if (wait > 1) expect(take(early, now + wait - 1)).toBeGreaterThan(0);
              expect(take(onTime, now + wait)).toBe(0);
              return;
            }
          }
        },
      ),
    );
  });
});

describe('url helpers', () => {
  describe('isLoopbackHost', () => {
    it.each(['localhost', 'LOCALHOST', '127.0.0.1', '127.255.10.3', '::1', '[::1]'])(
      'accepts %s',
      (host) => {
        expect(isLoopbackHost(host)).toBe(true);
      },
    );

    it.each([
      'example.com',
      'localhost.example.com',
      'evil-localhost',
      'mylocalhost',
      // Resolved by the system resolver (hosts file, DNS): no HTTPS exemption.
      'app.localhost',
      'a.b.localhost',
      '127.0.0.1.nip.io',
      '128.0.0.1',
      '10.0.0.1',
      '0.0.0.0',
      '::',
      '[::2]',
      '',
    ])('refuses %j', (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    });
  });

  describe('secureUrl', () => {
    it('accepts https and returns a URL', () => {
      const url = secureUrl('https://id.example.com/token?x=1', 'tokenUrl');
      expect(url).toBeInstanceOf(URL);
      expect(url.href).toBe('https://id.example.com/token?x=1');
    });

    it('accepts a URL object', () => {
      expect(secureUrl(new URL('https://id.example.com/t'), 'tokenUrl').host).toBe(
        'id.example.com',
      );
    });

    it.each([
      'http://localhost:3000/t',
      'http://127.0.0.1/t',
      'http://[::1]/t',
      'http://[0:0:0:0:0:0:0:1]/t',
      'http://127.1/t',
    ])('accepts loopback http %s', (value) => {
      expect(secureUrl(value, 'tokenUrl').protocol).toBe('http:');
    });

    it.each(['http://id.example.com/t', 'http://127.0.0.1.nip.io/t', 'http://10.1.2.3/t'])(
      'refuses http %s with InsecureUrlError naming the option',
      (value) => {
        const error = (() => {
          try {
            secureUrl(value, 'tokenUrl');
          } catch (caught) {
            return caught;
          }
        })();
        expect(error).toBeInstanceOf(InsecureUrlError);
        expect((error as Error).message).toMatch(/^tokenUrl must use https/);
      },
    );

    it.each([
      ['not a URL', 'id.example.com/t'],
      ['empty', ''],
      ['not http(s)', 'ftp://id.example.com/t'],
      ['javascript:', 'javascript:alert(1)'],
      ['credentials', 'https://u:p@id.example.com/t'],
      ['not a string', 42],
    ])('refuses %s with InvalidOptionsError naming the option', (_label, value) => {
      expect(() => secureUrl(value, 'tokenUrl')).toThrow(InvalidOptionsError);
      try {
        secureUrl(value, 'tokenUrl');
      } catch (error) {
        expect((error as InvalidOptionsError).option).toBe('tokenUrl');
      }
    });
  });

  describe('allowedOrigins', () => {
    it('normalises case, default ports and paths, and removes duplicates in order', () => {
      expect(
        allowedOrigins([
          'https://API.example.com/orders?x=1',
          'https://api.example.com:443',
          'https://api.example.com/',
          'http://localhost:3000/x',
          new URL('https://b.example.com:8443/y'),
        ]),
      ).toEqual(['https://api.example.com', 'http://localhost:3000', 'https://b.example.com:8443']);
    });

    it('keeps distinct ports apart', () => {
      expect(allowedOrigins(['https://api.example.com', 'https://api.example.com:8443'])).toEqual([
        'https://api.example.com',
        'https://api.example.com:8443',
      ]);
    });

    it('refuses an http origin that is not loopback', () => {
      expect(() => allowedOrigins(['https://a.example.com', 'http://b.example.com'])).toThrow(
        InsecureUrlError,
      );
    });

    it('refuses a value that is not a URL', () => {
      expect(() => allowedOrigins(['api.example.com'])).toThrow(InvalidOptionsError);
    });

    it('returns a frozen list already normal as it is, and copies any other list', () => {
      const normal = Object.freeze(['https://api.example.com', 'http://localhost:3000']);
      expect(allowedOrigins(normal)).toBe(normal);
      // Not frozen: the caller may change it later, so the manager keeps a frozen copy.
      const mutable = ['https://api.example.com'];
      const copy = allowedOrigins(mutable);
      expect(copy).not.toBe(mutable);
      mutable[0] = 'https://evil.example.com';
      expect(copy).toEqual(['https://api.example.com']);
      expect(Object.isFrozen(copy)).toBe(true);
      // Frozen but not normal, or with a duplicate: normalised into a new list.
      const upper = Object.freeze(['https://API.example.com']);
      expect(allowedOrigins(upper)).toEqual(['https://api.example.com']);
      const twice = Object.freeze(['https://api.example.com', 'https://api.example.com']);
      expect(allowedOrigins(twice)).toEqual(['https://api.example.com']);
    });
  });

  describe('endpointLabel', () => {
    it('keeps origin and path only', () => {
      expect(endpointLabel('https://user:pw@id.example.com:8443/oauth2/token?secret=x#frag')).toBe(
        'https://id.example.com:8443/oauth2/token',
      );
    });

    it('accepts a URL object', () => {
      expect(endpointLabel(new URL('https://id.example.com/t?client_secret=x'))).toBe(
        'https://id.example.com/t',
      );
    });

    it('says so for an invalid URL rather than echoing it', () => {
      expect(endpointLabel('not a url with secret s3cr3t')).toBe('(invalid URL)');
    });
  });

  describe('originOf', () => {
    it('returns the origin of a string or URL, and undefined for a non-URL', () => {
      expect(originOf('https://API.example.com:443/x?y')).toBe('https://api.example.com');
      expect(originOf(new URL('http://localhost:3000/a'))).toBe('http://localhost:3000');
      expect(originOf('/relative')).toBeUndefined();
    });
  });
});

describe('isReplayable', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'a=1'],
    ['an empty string', ''],
    ['a number', 42],
    ['a boolean', false],
    ['URLSearchParams', new URLSearchParams({ a: '1' })],
    ['FormData', new FormData()],
    ['a Blob', new Blob(['x'])],
    ['a File', new File(['x'], 'x.txt')],
    ['an ArrayBuffer', new ArrayBuffer(8)],
    ['a Uint8Array', new Uint8Array([1, 2])],
    ['a Float64Array', new Float64Array(2)],
    ['a DataView', new DataView(new ArrayBuffer(4))],
    ['a Buffer', Buffer.from('x')],
    ['a plain object', { a: 1 }],
    ['an array', [1, 2, 3]],
  ])('replays %s', (_label, body) => {
    expect(isReplayable(body)).toBe(true);
  });

  it.each([
    ['a Node Readable', () => Readable.from(['a', 'b'])],
    ['a Node PassThrough', () => new PassThrough()],
    ['a web ReadableStream', () => new ReadableStream()],
    ['a Response body', () => new Response('x').body],
    [
      'an async generator',
      () =>
        (async function* () {
          yield new Uint8Array([1]);
        })(),
    ],
    [
      'a custom async iterable',
      () => ({
        [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }),
      }),
    ],
    ['a stream-like object with getReader()', () => ({ getReader: () => ({}) })],
    ['a stream-like object with pipe()', () => ({ pipe: () => undefined })],
    ['a function', () => () => 'body'],
    ['a symbol', () => Symbol('body')],
  ])('does not replay %s', (_label, make) => {
    expect(isReplayable(make())).toBe(false);
  });

  it('does not replay a sync generator', () => {
    const body = (function* () {
      yield new Uint8Array([1]);
    })();
    expect(isReplayable(body)).toBe(false);
  });
});

describe('secureUrl credentials', () => {
  it.each(['https://user@id.example.com/t', 'https://:pw@id.example.com/t'])(
    'refuses %s (a user name or a password alone)',
    (url) => {
      expect(() => secureUrl(url, 'tokenUrl')).toThrow(/must not contain credentials/);
    },
  );
});
