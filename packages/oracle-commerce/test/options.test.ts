import { InsecureUrlError, InvalidOptionsError } from '@authwire/core';
import { thrown } from '@authwire/test-support';
import { describe, expect, it } from 'vitest';
import type { OracleCommerceProviderOptions } from '../src/index.ts';
import { oracleCommerceProvider } from '../src/index.ts';
import { APP_KEY } from './jwt.ts';

const valid: OracleCommerceProviderOptions = {
  baseUrl: 'https://ccadmin-z1ab.oracleoutsourcing.com',
  applicationKey: APP_KEY,
};

function loose(overrides: Record<string, unknown>): OracleCommerceProviderOptions {
  return { ...valid, ...overrides } as unknown as OracleCommerceProviderOptions;
}

describe('option validation', () => {
  it.each([
    ['baseUrl', { baseUrl: undefined }],
    ['baseUrl', { baseUrl: '' }],
    ['baseUrl', { baseUrl: 'not a url' }],
    ['baseUrl', { baseUrl: 'ccadmin-z1ab.oracleoutsourcing.com' }],
    ['baseUrl', { baseUrl: 'ftp://example.com' }],
    ['baseUrl', { baseUrl: 'https://example.com/ccadmin/v1' }],
    ['baseUrl', { baseUrl: 'https://example.com/?x=1' }],
    ['baseUrl', { baseUrl: 'https://example.com/#x' }],
    ['baseUrl', { baseUrl: `https://user:${APP_KEY}@example.com` }],
    ['applicationKey', { applicationKey: undefined }],
    ['applicationKey', { applicationKey: '' }],
    ['applicationKey', { applicationKey: 42 }],
    ['applicationKey', { applicationKey: `Bearer ${APP_KEY}` }],
    ['applicationKey', { applicationKey: `${APP_KEY}\n` }],
    ['applicationKey', { applicationKey: `${APP_KEY} x` }],
    ['api', { api: 'store' }],
    ['api', { api: 'ccadmin' }],
    ['api', { api: 'Admin' }],
    ['api', { api: 1 }],
  ])('rejects a bad %s (%#) with InvalidOptionsError naming it', (option, overrides) => {
    const error = thrown(() => oracleCommerceProvider(loose(overrides)));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe(option);
    expect((error as Error).message).toContain(option);
    expect((error as Error).message).not.toContain(APP_KEY.slice(0, 10));
    expect(JSON.stringify(error)).not.toContain(APP_KEY.slice(0, 10));
  });

  it('echoes a short typo to help, e.g. api: ccadmin', () => {
    const error = thrown(() => oracleCommerceProvider(loose({ api: 'ccadmin' })));
    expect((error as Error).message).toContain("got 'ccadmin'");
  });

  it('rejects a non-object', () => {
    for (const options of [undefined, null, 'x']) {
      const error = thrown(() =>
        oracleCommerceProvider(options as unknown as OracleCommerceProviderOptions),
      );
      expect((error as InvalidOptionsError).option).toBe('options');
    }
  });

  it('rejects plain http to a non-loopback host with InsecureUrlError', () => {
    const error = thrown(() => oracleCommerceProvider(loose({ baseUrl: 'http://example.com' })));
    expect(error).toBeInstanceOf(InsecureUrlError);
    expect((error as Error).message).toContain('baseUrl');
  });

  it.each(['http://localhost:8080', 'http://127.0.0.1', 'http://[::1]:3000'])(
    'allows loopback http %s',
    (baseUrl) => {
      expect(oracleCommerceProvider({ ...valid, baseUrl }).baseUrl).toBe(new URL(baseUrl).origin);
    },
  );

  it('never echoes an application key misplaced into another option', () => {
    const error = thrown(() => oracleCommerceProvider(loose({ api: APP_KEY })));
    expect((error as Error).message).not.toContain(APP_KEY.slice(0, 10));
    expect((error as Error).message).toContain('got a string');
  });
});
