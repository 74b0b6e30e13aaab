// Option validation, client detection and failure handling, with fake clients (no Redis needed).
import { InvalidOptionsError, isAuthwireError } from '@authwire/core';
import { describe, expect, it } from 'vitest';
import { type RedisClientLike, RedisStoreError, redisStore } from '../src/index.ts';
import { makeToken } from './tokens.ts';

const fakeNodeRedis = (overrides: Partial<Record<'get' | 'set' | 'eval', unknown>> = {}) =>
  ({
    isOpen: true,
    get: async () => null,
    set: async () => 'OK',
    eval: async () => 0,
    ...overrides,
  }) as unknown as RedisClientLike;

function invalidOption(run: () => unknown): InvalidOptionsError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(isAuthwireError(error)).toBe(true);
    return error as InvalidOptionsError;
  }
  throw new Error('expected an InvalidOptionsError');
}

describe('redisStore options', () => {
  it('does name a missing or unusable client', () => {
    expect(invalidOption(() => redisStore({} as never)).option).toBe('client');
    expect(invalidOption(() => redisStore({ client: {} as never })).option).toBe('client');
    expect(invalidOption(() => redisStore({ client: 'redis://x' as never })).option).toBe('client');
    expect(invalidOption(() => redisStore(undefined as never)).option).toBe('options');
  });

  it('does reject a prefix that is not a string', () => {
    const error = invalidOption(() => redisStore({ client: fakeNodeRedis(), prefix: 5 as never }));
    expect(error.option).toBe('prefix');
  });

  it.each([0, -1, Number.NaN, Infinity, '100'])('does reject commandTimeoutMs %s', (value) => {
    const error = invalidOption(() =>
      redisStore({ client: fakeNodeRedis(), commandTimeoutMs: value as number }),
    );
    expect(error.option).toBe('commandTimeoutMs');
  });

  it.each([
    ['an empty string', ''],
    ['a number', 7],
    ['an object', { ip: '10.0.0.1' }],
  ])('does reject rateLimitKey as %s', (_name, rateLimitKey) => {
    const error = invalidOption(() =>
      redisStore({ client: fakeNodeRedis(), rateLimitKey: rateLimitKey as string }),
    );
    expect(error.option).toBe('rateLimitKey');
  });

  it('does accept a rateLimitKey and offer a rate gate', () => {
    const store = redisStore({ client: fakeNodeRedis(), rateLimitKey: 'nat-eu-1' });
    expect(typeof store.rateGate?.take).toBe('function');
  });

  it.each([
    ['prefx', 'prefix'],
    ['commandTimeout', 'commandTimeoutMs'],
    ['encryptionkey', 'encryptionKey'],
    ['ratelimitKey', 'rateLimitKey'],
    ['rateLimitKeys', 'rateLimitKey'],
    ['clinet', 'client'],
  ])('does reject the unknown option %s, suggesting %s', (typo, meant) => {
    const error = invalidOption(() =>
      redisStore({ client: fakeNodeRedis(), [typo]: 'x' } as never),
    );
    expect(error.option).toBe(typo);
    expect(error.message).toContain(`did you mean ${meant}?`);
  });

  it('does reject an unknown option that resembles none, listing the known ones', () => {
    const error = invalidOption(() => redisStore({ client: fakeNodeRedis(), ttl: 5 } as never));
    expect(error.option).toBe('ttl');
    expect(error.message).not.toContain('did you mean');
    expect(error.message).toContain("unknown option 'ttl'");
  });

  it('does not echo an option name that could be a secret', () => {
    const secret = 'sk_live 0123456789abcdef';
    const error = invalidOption(() =>
      redisStore({ client: fakeNodeRedis(), [secret]: true } as never),
    );
    expect(error.option).toBe('options');
    expect(error.message).not.toContain(secret);
  });

  it('does reject an array as options', () => {
    expect(invalidOption(() => redisStore([] as never)).option).toBe('options');
  });

  describe('encryptionKey', () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const base64 = Buffer.from(bytes).toString('base64');

    it('does accept 32 bytes, their base64 (standard or URL-safe) and an AES-GCM-256 CryptoKey', async () => {
      const client = fakeNodeRedis();
      expect(() => redisStore({ client, encryptionKey: bytes })).not.toThrow();
      expect(() => redisStore({ client, encryptionKey: base64 })).not.toThrow();
      expect(() =>
        redisStore({ client, encryptionKey: Buffer.from(bytes).toString('base64url') }),
      ).not.toThrow();
      const key = await crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, [
        'encrypt',
        'decrypt',
      ]);
      expect(() => redisStore({ client, encryptionKey: key })).not.toThrow();
    });

    it.each([
      ['16 bytes', new Uint8Array(16)],
      ['33 bytes', new Uint8Array(33)],
      ['base64 of 24 bytes', Buffer.alloc(24, 7).toString('base64')],
      ['an empty string', ''],
    ])('does reject %s, naming the length', (_name, encryptionKey) => {
      const error = invalidOption(() => redisStore({ client: fakeNodeRedis(), encryptionKey }));
      expect(error.option).toBe('encryptionKey');
      expect(error.message).toMatch(/32 bytes/);
    });

    it('does reject an encryptionKey given as undefined (an unset environment variable)', () => {
      const unset: Record<string, string | undefined> = {};
      const error = invalidOption(() =>
        redisStore({ client: fakeNodeRedis(), encryptionKey: unset.TOKEN_KEY! }),
      );
      expect(error.option).toBe('encryptionKey');
      expect(error.message).toMatch(/undefined.*leave the option out/);
      expect(() => redisStore({ client: fakeNodeRedis() })).not.toThrow();
    });

    it('does reject text that is not base64 without echoing it', () => {
      const secret = 'correct horse battery staple!!';
      const error = invalidOption(() =>
        redisStore({ client: fakeNodeRedis(), encryptionKey: secret }),
      );
      expect(error.option).toBe('encryptionKey');
      expect(error.message).not.toContain(secret);
      expect(JSON.stringify(error)).not.toContain(secret);
    });

    it('does reject a CryptoKey of another algorithm, size or usage', async () => {
      const client = fakeNodeRedis();
      const cbc = await crypto.subtle.generateKey({ name: 'AES-CBC', length: 256 }, false, [
        'encrypt',
        'decrypt',
      ]);
      const gcm128 = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 128 }, false, [
        'encrypt',
        'decrypt',
      ]);
      const encryptOnly = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
        'encrypt',
      ]);
      for (const encryptionKey of [cbc, gcm128, encryptOnly]) {
        expect(invalidOption(() => redisStore({ client, encryptionKey })).option).toBe(
          'encryptionKey',
        );
      }
    });

    it('does reject other types', () => {
      const error = invalidOption(() =>
        redisStore({ client: fakeNodeRedis(), encryptionKey: 42 as never }),
      );
      expect(error.option).toBe('encryptionKey');
    });
  });
});

describe('client detection', () => {
  it('does speak node-redis options objects to a node-redis-shaped client', async () => {
    const calls: unknown[][] = [];
    const client = fakeNodeRedis({
      set: async (...args: unknown[]) => {
        calls.push(['set', ...args]);
        return 'OK';
      },
      eval: async (...args: unknown[]) => {
        calls.push(['eval', ...args]);
        return 1;
      },
    });
    const store = redisStore({ client, prefix: 'p:' });
    await store.set('k', makeToken(), 1_000.4);
    const lock = await store.lock!('k', 500);
    await lock!.release();
    expect(calls[0]).toEqual([
      'set',
      expect.stringMatching(/^p:token:[0-9a-f]{64}$/),
      expect.any(String),
      { expiration: { type: 'PX', value: 1_001 } },
    ]);
    expect(calls[1]).toEqual([
      'set',
      expect.stringMatching(/^p:lock:[0-9a-f]{64}$/),
      expect.stringMatching(/^[0-9a-f]{32}$/),
      { expiration: { type: 'PX', value: 500 }, condition: 'NX' },
    ]);
    expect(calls[2]).toEqual([
      'eval',
      expect.any(String),
      { keys: [calls[1]![1]], arguments: [calls[1]![2]] },
    ]);
  });

  it('does speak positional arguments to an ioredis-shaped client', async () => {
    const calls: unknown[][] = [];
    const client = {
      status: 'ready',
      call: async () => null,
      get: async () => null,
      set: async (...args: unknown[]) => {
        calls.push(args);
        return null;
      },
      eval: async () => 0,
    } as unknown as RedisClientLike;
    const store = redisStore({ client });
    expect(await store.lock!('k', 500)).toBeUndefined();
    expect(calls[0]).toEqual([
      expect.stringMatching(/^authwire:lock:[0-9a-f]{64}$/),
      expect.any(String),
      'PX',
      500,
      'NX',
    ]);
  });
});

describe('failures', () => {
  it('does reject within commandTimeoutMs when Redis never answers', async () => {
    const never = () => new Promise<never>(() => {});
    const store = redisStore({
      client: fakeNodeRedis({ get: never, set: never, eval: never }),
      commandTimeoutMs: 50,
    });
    const token = makeToken();
    for (const [operation, run] of [
      ['get', () => store.get('k')],
      ['set', () => store.set('k', token, 1_000)],
      ['delete', () => store.delete('k', token)],
      ['lock', () => store.lock!('k', 1_000)],
    ] as const) {
      const error = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ operation, timedOut: true });
      expect((error as Error).message).toBe(`Redis ${operation} timed out after 50 ms`);
    }
  });

  it('does hand back a lock acquired after the deadline', async () => {
    let answer: (value: string) => void = () => {};
    const released: unknown[] = [];
    const store = redisStore({
      client: fakeNodeRedis({
        set: () => new Promise((resolve) => (answer = resolve)),
        eval: async (_script: string, options: unknown) => {
          released.push(options);
          return 1;
        },
      }),
      commandTimeoutMs: 20,
    });
    await expect(store.lock!('k', 5_000)).rejects.toMatchObject({ timedOut: true });
    answer('OK');
    await expect.poll(() => released.length).toBe(1);
  });

  it('does not leak the token, the stored value or the client error', async () => {
    const token = makeToken();
    const clientError = Object.assign(new Error(`ERR something about ${token.accessToken}`), {
      code: 'ECONNRESET',
      command: { name: 'set', args: ['k', token.accessToken] },
    });
    const fail = async () => {
      throw clientError;
    };
    const store = redisStore({ client: fakeNodeRedis({ get: fail, set: fail, eval: fail }) });
    const error = await store.set('k', token, 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(error).toMatchObject({ operation: 'set', timedOut: false });
    expect((error as Error).message).toContain('ECONNRESET');
    expect((error as Error).message).not.toContain(token.accessToken);
    expect((error as Error).cause).toBeUndefined();
    const deleteError = await store.delete('k', token).catch((e: unknown) => e);
    expect((deleteError as Error).message).not.toContain(token.accessToken);
  });

  it('does reject when the client throws synchronously', async () => {
    const store = redisStore({
      client: fakeNodeRedis({
        get: () => {
          throw new Error('The client is closed');
        },
      }),
    });
    await expect(store.get('k')).rejects.toThrow('Redis get failed: Error The client is closed');
  });

  it('does treat an unexpected reply type as a failure', async () => {
    const store = redisStore({ client: fakeNodeRedis({ get: async () => 42 }) });
    await expect(store.get('k')).rejects.toBeInstanceOf(RedisStoreError);
  });
});
