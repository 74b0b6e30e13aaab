import { InsecureUrlError, InvalidOptionsError } from '@authwire/core';
import { thrown } from '@authwire/test-support';
import { describe, expect, it } from 'vitest';
import {
  type CommercetoolsOptions,
  type CommercetoolsProviderOptions,
  commercetools,
  commercetoolsProvider,
} from '../src/index.ts';

const SECRET = 'ct-Secret-Value-123';
const valid: CommercetoolsProviderOptions = {
  clientId: 'client-a',
  clientSecret: SECRET,
  projectKey: 'acme',
  region: 'europe-west1.gcp',
};
const loose = (overrides: Record<string, unknown>) =>
  ({ ...valid, ...overrides }) as unknown as CommercetoolsProviderOptions;

describe('option validation', () => {
  it.each([
    ['clientId', { clientId: '' }],
    ['clientSecret', { clientSecret: undefined }],
    ['clientSecret', { clientSecret: ` ${SECRET}` }],
    ['projectKey', { projectKey: undefined }],
    ['projectKey', { projectKey: 'Acme' }],
    ['projectKey', { projectKey: 'a' }],
    ['projectKey', { projectKey: 'acme/x' }],
    ['region', { region: 'europe-west1' }],
    ['region', { region: 'eu' }],
    ['scopes', { scopes: '' }],
    ['scopes', { scopes: [] }],
    ['scopes', { scopes: ['quo"te'] }],
    ['scopes', { scopes: 42 }],
    ['tokenUrl', { tokenUrl: 'not a url' }],
    ['tokenUrl', { tokenUrl: 'https://auth.example.com/token#x' }],
    ['baseUrl', { baseUrl: 'nope' }],
  ])('rejects a bad %s (%j) naming it, never echoing the secret', (option, overrides) => {
    const error = thrown(() => commercetoolsProvider(loose(overrides)));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe(option);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('refuses http to a non-loopback override', () => {
    expect(() => commercetoolsProvider(loose({ baseUrl: 'http://api.example.com' }))).toThrow(
      InsecureUrlError,
    );
  });

  it('suggests the right name for a misspelt option', () => {
    const error = thrown(() =>
      commercetools({ ...valid, projectkey: 'x' } as unknown as CommercetoolsOptions),
    );
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as Error).message).toContain('did you mean projectKey');
  });

  it('defaults the scope to manage_project:{projectKey} and keeps the secret out of sight', () => {
    const provider = commercetoolsProvider(valid);
    expect(provider.scope).toBe('manage_project:acme');
    expect(JSON.stringify(provider)).not.toContain(SECRET);
    expect(provider.key).not.toContain(SECRET);
  });

  it('accepts loopback overrides for tests', () => {
    const provider = commercetoolsProvider({
      ...valid,
      tokenUrl: 'http://127.0.0.1:8080/oauth/token',
      baseUrl: 'http://127.0.0.1:8081/',
    });
    expect(provider.origins).toEqual(['http://127.0.0.1:8081']);
    expect(provider.projectUrl).toBe('http://127.0.0.1:8081/acme');
  });
});
