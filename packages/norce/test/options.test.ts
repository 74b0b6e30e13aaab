import { InsecureUrlError, InvalidOptionsError } from '@authwire/core';
import { thrown } from '@authwire/test-support';
import { describe, expect, it } from 'vitest';
import type { NorceProviderOptions } from '../src/index.ts';
import { norceProvider } from '../src/index.ts';

const SECRET = 'Sup3r-Secret-Value';

const valid: NorceProviderOptions = {
  clientId: 'client-a',
  clientSecret: SECRET,
  applicationId: 1234,
  environment: 'playground',
  clientName: 'acme',
  region: 'se',
};

/** Lets tests pass what TypeScript would reject, as a JavaScript caller could. */
function loose(overrides: Record<string, unknown>): NorceProviderOptions {
  return { ...valid, ...overrides } as unknown as NorceProviderOptions;
}

describe('option validation', () => {
  it.each([
    ['clientId', { clientId: '' }],
    ['clientId', { clientId: undefined }],
    ['clientId', { clientId: 42 }],
    ['clientId', { clientId: ' client-a' }],
    ['clientSecret', { clientSecret: '' }],
    ['clientSecret', { clientSecret: undefined }],
    ['clientSecret', { clientSecret: `${SECRET}\n` }],
    ['applicationId', { applicationId: undefined }],
    ['applicationId', { applicationId: 'abc' }],
    ['applicationId', { applicationId: '12a' }],
    ['applicationId', { applicationId: '' }],
    ['applicationId', { applicationId: -1 }],
    ['applicationId', { applicationId: 1.5 }],
    ['applicationId', { applicationId: Number.NaN }],
    ['environment', { environment: undefined }],
    ['environment', { environment: 'prod' }],
    ['environment', { environment: 'lab' }],
    ['environment', { environment: 'Production' }],
    ['storm', { storm: 'yes' }],
    ['scope', { scope: '' }],
    ['scope', { scope: 'a  b' }],
    ['scope', { scope: ' lab' }],
    ['scope', { scope: 'quote"d' }],
    ['clientName', { clientName: undefined }],
    ['clientName', { clientName: 'acme.evil.com' }],
    ['clientName', { clientName: 'acme/x' }],
    ['clientName', { clientName: '-acme' }],
    ['region', { region: undefined }],
    ['region', { region: '' }],
    ['region', { region: 'se.x' }],
    ['tokenUrl', { tokenUrl: 'not a url' }],
    ['tokenUrl', { tokenUrl: '/relative/token' }],
    ['tokenUrl', { tokenUrl: 'ftp://example.com/token' }],
    ['tokenUrl', { tokenUrl: 'https://example.com/token#x' }],
    ['tokenUrl', { tokenUrl: `https://user:${SECRET}@example.com/token` }],
    ['tokenUrl', { tokenUrl: '' }],
    ['baseUrl', { baseUrl: 'nope' }],
    ['baseUrl', { baseUrl: 'https://example.com/?a=1' }],
    ['baseUrl', { baseUrl: 42 }],
    ['applicationIdHeader', { applicationIdHeader: '' }],
    ['applicationIdHeader', { applicationIdHeader: 'Application Id' }],
    ['applicationIdHeader', { applicationIdHeader: 'ApplicationId:' }],
    ['applicationIdHeader', { applicationIdHeader: 'authorization' }],
  ])('rejects a bad %s (%j) with InvalidOptionsError naming it', (option, overrides) => {
    const error = thrown(() => norceProvider(loose(overrides)));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe(option);
    expect((error as InvalidOptionsError).code).toBe('invalid_options');
    expect((error as Error).message).toContain(option);
    expect((error as Error).message).not.toContain(SECRET.slice(0, 6));
    expect(JSON.stringify(error)).not.toContain(SECRET.slice(0, 6));
  });

  it('rejects a non-object', () => {
    for (const options of [undefined, null, 'x']) {
      const error = thrown(() => norceProvider(options as unknown as NorceProviderOptions));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect((error as InvalidOptionsError).option).toBe('options');
    }
  });

  it.each([
    ['tokenUrl', 'http://example.com/identity/1.0/connect/token'],
    ['baseUrl', 'http://acme.api-se.norce.tech'],
    ['tokenUrl', 'http://127.0.0.1.example.com/token'],
  ])('rejects plain http %s to a non-loopback host with InsecureUrlError', (option, url) => {
    const error = thrown(() => norceProvider(loose({ [option]: url })));
    expect(error).toBeInstanceOf(InsecureUrlError);
    expect((error as Error).message).toContain(option);
  });

  it.each([
    'http://localhost:3000/token',
    'http://127.0.0.1/token',
    'http://127.1.2.3:8080/token',
    'http://[::1]:8080/token',
  ])('allows http to loopback %s', (tokenUrl) => {
    expect(norceProvider({ ...valid, tokenUrl }).tokenUrl).toBe(new URL(tokenUrl).href);
  });

  it('never echoes a secret the user misplaced into another option', () => {
    const options = ['clientId', 'applicationId', 'environment', 'scope', 'clientName', 'region'];
    for (const option of options) {
      const error = thrown(() => norceProvider(loose({ [option]: ` ${SECRET} x` })));
      expect((error as InvalidOptionsError).option).toBe(option);
      expect((error as Error).message).not.toContain(SECRET.slice(0, 6));
    }
    const error = thrown(() => norceProvider(loose({ environment: SECRET })));
    expect((error as Error).message).not.toContain(SECRET.slice(0, 6));
  });

  it("echoes a short environment typo to help, e.g. 'prod'", () => {
    const error = thrown(() => norceProvider(loose({ environment: 'prod' })));
    expect((error as Error).message).toContain("got 'prod'");
  });

  it('validates clientName and region even when overrides make them unused', () => {
    const error = thrown(() =>
      norceProvider({
        ...valid,
        clientName: 'not valid',
        tokenUrl: 'https://a.example.com/token',
        baseUrl: 'https://b.example.com',
      }),
    );
    expect((error as InvalidOptionsError).option).toBe('clientName');
  });

  it('accepts the largest safe application id and zero', () => {
    expect(norceProvider({ ...valid, applicationId: 0 }).applicationId).toBe('0');
    expect(norceProvider({ ...valid, applicationId: Number.MAX_SAFE_INTEGER }).applicationId).toBe(
      String(Number.MAX_SAFE_INTEGER),
    );
  });
});
