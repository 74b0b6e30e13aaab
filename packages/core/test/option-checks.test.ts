import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  type ClientCredentialsOptions,
  clientCredentials,
} from '../src/credentials/client-credentials.ts';
import { InvalidOptionsError } from '../src/errors/errors.ts';
import { checkManagerOptions, MANAGER_OPTION_CHECKS } from '../src/options/manager-options.ts';
import { checkOptions, isBoolean, oneOf, optional } from '../src/options/validate.ts';
import { memoryStore } from '../src/store/memory-store.ts';

const SECRET = 'cc-Secret-9f3e1a';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function expectInvalid(fn: () => unknown, option: string): InvalidOptionsError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(InvalidOptionsError);
  const invalid = error as InvalidOptionsError;
  expect(invalid.code).toBe('invalid_options');
  expect(invalid.option).toBe(option);
  for (const text of [invalid.message, JSON.stringify(invalid), inspect(invalid, { depth: 10 })]) {
    expect(text).not.toContain(SECRET);
  }
  return invalid;
}

const clock = { now: () => 0, sleep: async () => {}, random: () => 0.5 };

describe('oneOf', () => {
  it.each([
    [undefined, 'got undefined'],
    [null, 'got null'],
    [5, 'got a number'],
    [{}, 'got an object'],
    [[], 'got an array'],
    ['prod', "got 'prod'"],
    [SECRET, 'got a string'],
  ])('describes %j without an article error', (value, expected) => {
    const error = expectInvalid(() => oneOf('api', value, ['admin', 'agent']), 'api');
    expect(error.message).toBe(`api must be one of 'admin', 'agent'; ${expected}`);
  });
});

describe('checkOptions', () => {
  const known = { refreshWindowMs: optional(isBoolean), storm: optional(isBoolean) };

  it.each([null, 'x', 5, [], true])('refuses %j as options', (value) => {
    expectInvalid(() => checkOptions(value, known, 'test()'), 'options');
  });

  it.each([
    ['refreshWindowMS', 'refreshWindowMs'],
    ['refreshwindowms', 'refreshWindowMs'],
    ['refreshWindow', 'refreshWindowMs'],
    ['refreshWin', undefined],
    ['strom', 'storm'],
    ['stormy', 'storm'],
    ['totally', undefined],
  ])('refuses the unknown option %s with a did-you-mean', (name, suggestion) => {
    const error = expectInvalid(() => checkOptions({ [name]: 1 }, known, 'test()'), name);
    expect(error.message).toContain(`unknown option '${name}'`);
    if (suggestion) expect(error.message).toContain(`did you mean ${suggestion}?`);
    else expect(error.message).not.toContain('did you mean');
  });

  it('never quotes an unknown name that could be a secret', () => {
    const error = expectInvalid(
      () => checkOptions({ [`${SECRET} x`]: 1 }, known, 'test()'),
      'options',
    );
    expect(error.message).toContain('(not shown)');
  });

  it('runs every check, undefined values included', () => {
    const seen: string[] = [];
    checkOptions({ a: 1 }, { a: (_v, n) => seen.push(n), b: (_v, n) => seen.push(n) }, 'w');
    expect(seen).toEqual(['a', 'b']);
  });
});

describe('checkManagerOptions', () => {
  it('accepts undefined, {} and every option with a good value', () => {
    checkManagerOptions(undefined);
    checkManagerOptions({});
    checkManagerOptions({
      origins: ['https://api.example.com', new URL('http://127.0.0.1:8080')],
      store: memoryStore(),
      clock,
      fetch: globalThis.fetch,
      refreshWindowMs: 0,
      expiryMarginMs: 1_000,
      requestTimeoutMs: 1,
      maxAttempts: 10,
      retryBaseDelayMs: 0,
      retryMaxDelayMs: 2 ** 31 - 1,
      maxRetryAfterMs: 60_000,
      lockTtlMs: 30_000,
      revokeOnClose: true,
      onEvent: () => {},
      debug: (_line: string) => {},
      maxResponseBytes: 1_024,
    });
    checkManagerOptions({ debug: true, store: { ...memoryStore(), rateGate: { take: () => {} } } });
  });

  // The 41 wrong-type cases of the issue, and more: each an InvalidOptionsError naming the option.
  const fn = () => {};
  const wrong: [string, unknown][] = [
    ['store', 'x'],
    ['store', 5],
    ['store', null],
    ['store', []],
    ['store', { get: 1 }],
    ['store', { get: fn, set: fn }],
    ['store', { get: fn, set: fn, delete: 'no' }],
    ['store', { get: fn, set: fn, delete: fn, lock: 1 }],
    ['store.rateGate', { get: fn, set: fn, delete: fn, rateGate: {} }],
    ['store.rateGate', { get: fn, set: fn, delete: fn, rateGate: 5 }],
    ['clock', 'now'],
    ['clock', {}],
    ['clock', { now: fn, sleep: fn }],
    ['clock', { now: 1, sleep: fn, random: fn }],
    ['clock', { now: fn, sleep: fn, random: fn, monotonic: 1 }],
    ['fetch', 'https://x'],
    ['fetch', {}],
    ['onEvent', 'log'],
    ['onEvent', {}],
    ['revokeOnClose', 'yes'],
    ['revokeOnClose', 1],
    ['debug', 'yes'],
    ['debug', 1],
    ['origins', 'https://api.example.com'],
    ['origins', [1]],
    ['origins', [null]],
    ['origins', ['not a url']],
    ['origins', ['ftp://x.example.com']],
    ['maxAttempts', 1.5],
    ['maxAttempts', 0],
    ['maxAttempts', 11],
    ['maxAttempts', '3'],
    ['maxAttempts', Number.NaN],
    ['requestTimeoutMs', 0],
    ['requestTimeoutMs', -1],
    ['requestTimeoutMs', 2 ** 31],
    ['requestTimeoutMs', Number.POSITIVE_INFINITY],
    ['requestTimeoutMs', '1000'],
    ['refreshWindowMs', -1],
    ['refreshWindowMs', '120000'],
    ['expiryMarginMs', Number.NaN],
    ['expiryMarginMs', null],
    ['retryBaseDelayMs', -5],
    ['retryMaxDelayMs', 2 ** 32],
    ['maxRetryAfterMs', Number.POSITIVE_INFINITY],
    ['lockTtlMs', 0],
    ['lockTtlMs', 'long'],
    ['maxResponseBytes', 10],
    ['maxResponseBytes', 1_500.5],
    ['maxResponseBytes', 2 ** 30],
    ['refreshWindowMS', 1_000],
    ['origin', ['https://api.example.com']],
    ['timeoutMs', 1_000],
  ];

  it(`has ${wrong.length} wrong-type cases (the issue lists 41)`, () => {
    expect(wrong.length).toBeGreaterThanOrEqual(41);
  });

  it.each(wrong)('refuses %s = %o', (option, value) => {
    expectInvalid(() => checkManagerOptions({ [option.split('.')[0]!]: value }), option);
  });

  it.each([null, 'x', 5, [], false])('refuses %j as the options object', (value) => {
    expectInvalid(() => checkManagerOptions(value), 'options');
  });

  it('suggests the right name for a case typo', () => {
    const error = expectInvalid(
      () => checkManagerOptions({ refreshWindowMS: 1 }),
      'refreshWindowMS',
    );
    expect(error.message).toContain('did you mean refreshWindowMs?');
  });

  it('knows every option, debug and maxResponseBytes included', () => {
    expect(Object.keys(MANAGER_OPTION_CHECKS)).toContain('debug');
    expect(Object.keys(MANAGER_OPTION_CHECKS)).toContain('maxResponseBytes');
  });
});

describe('clientCredentials options', () => {
  const base: ClientCredentialsOptions = {
    tokenUrl: 'https://id.example.com/oauth2/token',
    clientId: 'client-1',
    clientSecret: SECRET,
  };
  const loose = (overrides: Record<string, unknown>) =>
    ({ ...base, ...overrides }) as unknown as ClientCredentialsOptions;

  it.each<[string, Record<string, unknown>]>([
    ['extraParams', { extraParams: 'audience=x' }],
    ['extraParams', { extraParams: { audience: 5 } }],
    ['extraParams', { extraParams: [] }],
    ['headers', { headers: 'X-A: 1' }],
    ['headers', { headers: { 'X-A': 1 } }],
    ['headers', { headers: { 'X A': 'v' } }],
    ['headers', { headers: { 'X-A': `${SECRET}\r\nX-Evil: 1` } }],
    ['headers', { headers: { 'X-A': `${SECRET}\n` } }],
    ['headers', { headers: { 'X-A': `a\u0000b` } }],
    ['scope', { scope: 5 }],
    ['scope', { scope: { a: 1 } }],
    ['scope', { scope: ['a b'] }],
    ['scope', { scope: ['ok', 3] }],
    ['scope', { scope: 'quote"d' }],
    ['scope', { scope: 'back\\slash' }],
    ['defaultLifetimeMs', { defaultLifetimeMs: 0 }],
    ['defaultLifetimeMs', { defaultLifetimeMs: -1 }],
    ['defaultLifetimeMs', { defaultLifetimeMs: '300000' }],
    ['defaultLifetimeMs', { defaultLifetimeMs: 2 * 86_400_000 }],
    ['allowBrowser', { allowBrowser: 'yes' }],
    ['authMethod', { authMethod: 'basic' }],
    ['clientId', { clientId: 5 }],
    ['clientSecret', { clientSecret: {} }],
    ['tokenUrl', { tokenUrl: 5 }],
    ['clientSecrets', { clientSecrets: SECRET }],
    ['scopes', { scopes: 'a' }],
  ])('refuses a bad %s', (option, overrides) => {
    const error = expectInvalid(() => clientCredentials(loose(overrides)), option);
    // A header value is never quoted, even without the secret in it.
    expect(error.message).not.toContain('X-Evil');
  });

  it('suggests clientSecret for clientSecrets', () => {
    const error = expectInvalid(
      () => clientCredentials(loose({ clientSecrets: 'x' })),
      'clientSecrets',
    );
    expect(error.message).toContain('did you mean clientSecret?');
  });

  it.each([null, undefined, 'x'])('refuses %j as options', (value) => {
    expectInvalid(() => clientCredentials(value as unknown as ClientCredentialsOptions), 'options');
  });

  it('accepts header-safe headers, string extras and scope lists', () => {
    const provider = clientCredentials(
      loose({
        headers: { 'X-Tenant': 'acme corp', Accept: 'application/json' },
        extraParams: { audience: 'https://api.example.com' },
        scope: ['orders:read', 'orders:write'],
        defaultLifetimeMs: 60_000,
        allowBrowser: false,
      }),
    );
    expect(provider.defaultLifetimeMs).toBe(60_000);
  });
});
