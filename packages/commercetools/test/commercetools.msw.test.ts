// The commercetools() preset and the real token manager against @authwire/msw's commercetools mock.
import { authFetch, memoryStore, TokenEndpointError, type TokenManager } from '@authwire/core';
import { COMMERCETOOLS_MOCK_DEFAULTS, commercetoolsMock } from '@authwire/msw';
import { useMsw } from '@authwire/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CommercetoolsOptions,
  type CommercetoolsRegion,
  commercetools,
} from '../src/index.ts';

const msw = useMsw();
const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

const { clientId, clientSecret, projectKey } = COMMERCETOOLS_MOCK_DEFAULTS;

function setup(
  overrides: Partial<CommercetoolsOptions> = {},
  region: CommercetoolsRegion = 'europe-west1.gcp',
) {
  const mock = commercetoolsMock({ region });
  msw.use(...mock.handlers);
  const auth = commercetools({
    clientId,
    clientSecret,
    projectKey,
    region,
    store: memoryStore(),
    ...overrides,
  });
  managers.push(auth);
  return { auth, mock };
}

describe('commercetools() against the mock', () => {
  it.each([
    'europe-west1.gcp',
    'us-central1.gcp',
    'australia-southeast1.gcp',
    'eu-central-1.aws',
    'us-east-2.aws',
  ] as const)('gets a token with HTTP Basic and calls the project in %s', async (region) => {
    const { auth, mock } = setup({}, region);
    expect(auth.tokenUrl).toBe(`https://auth.${region}.commercetools.com/oauth/token`);
    expect(auth.projectUrl).toBe(`https://api.${region}.commercetools.com/${projectKey}`);
    const response = await authFetch(auth)(`${auth.projectUrl}/products`);
    expect(response.status).toBe(200);
    const token = await auth.getToken();
    // 48 h in the answer; the manager caps every lifetime at 24 h (core MAX_LIFETIME_MS).
    expect(token.expiresAt - token.issuedAt).toBe(86_400_000);
    expect(mock.control.counters.tokenRequests).toBe(1);
  });

  it('asks for several scopes, space-separated', async () => {
    const scopes = [`view_products:${projectKey}`, `manage_orders:${projectKey}`];
    const { auth, mock } = setup({ scopes });
    await auth.getToken();
    expect(auth.scope).toBe(scopes.join(' '));
    expect(mock.control.issuedTokens[0]?.scope).toBe(scopes.join(' '));
  });

  it('makes one token request for 200 concurrent cold callers', async () => {
    const { auth, mock } = setup();
    const call = authFetch(auth);
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => call(`${auth.projectUrl}/products`)),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(mock.control.counters.tokenRequests).toBe(1);
  });

  it('heals a 401 with one new token for 100 callers after a revocation', async () => {
    const { auth, mock } = setup();
    const call = authFetch(auth);
    await call(`${auth.projectUrl}/products`);
    mock.control.revokeAll();
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => call(`${auth.projectUrl}/products`)),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(mock.control.counters.tokenRequests).toBe(2);
  });

  it('fails with a non-retryable TokenEndpointError for a wrong secret, without the secret', async () => {
    const { auth, mock } = setup({ clientSecret: 'wrong-secret-value' });
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 401, error: 'invalid_client', retryable: false });
    expect(JSON.stringify(error)).not.toContain('wrong-secret-value');
    expect(String(error)).not.toContain('wrong-secret-value');
    expect(mock.control.counters.tokenRequests).toBe(1);
  });

  it('answers invalid_scope for a scope of another project', async () => {
    const { auth } = setup({ scopes: 'manage_project:someone-else' });
    await expect(auth.getToken()).rejects.toMatchObject({ status: 400, error: 'invalid_scope' });
  });

  it('never sends the token to the auth host or another origin', async () => {
    const { auth } = setup();
    expect(await auth.authorize(auth.tokenUrl)).toBeUndefined();
    expect(await auth.authorize('https://api.us-central1.gcp.commercetools.com/x')).toBeUndefined();
    expect(auth.origins).toEqual(['https://api.europe-west1.gcp.commercetools.com']);
  });
});
