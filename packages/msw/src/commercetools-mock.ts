// The commercetools mock: the OAuth 2.0 service of a Region (client credentials, HTTP Basic) and a project's HTTP API.
import { HttpResponse } from 'msw/http';
import type { OAuthErrorCode } from './client-credentials-endpoint.ts';
import {
  type ClientCredentialsMock,
  type ClientCredentialsMockOptions,
  clientCredentialsMock,
} from './client-credentials-mock.ts';
import { makeOpaqueToken } from './jwt.ts';

/**
 * Options of {@link commercetoolsMock}.
 *
 * @example
 * ```ts
 * commercetoolsMock({ region: 'us-central1.gcp', projectKey: 'acme' });
 * ```
 */
export interface CommercetoolsMockOptions extends ClientCredentialsMockOptions {
  /** Region host part, e.g. `europe-west1.gcp` (default) or `eu-central-1.aws`. */
  readonly region?: string;
  readonly projectKey?: string;
}

/** Credentials and project of the default API client. */
export const COMMERCETOOLS_MOCK_DEFAULTS: {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly projectKey: string;
  readonly region: string;
} = {
  clientId: 'authwire-ct-client',
  clientSecret: 'authwire-ct-secret',
  projectKey: 'authwire-demo',
  region: 'europe-west1.gcp',
};

// docs.commercetools.com "Errors" (HTTP API): an error body carries statusCode, message and
// errors[{ code, message }]; OAuth errors also carry error / error_description (inferred from
// public client code). invalid_client is a 401, the others 400.
function commercetoolsError(status: number, code: string, message: string): Response {
  return HttpResponse.json(
    {
      statusCode: status,
      message,
      errors: [{ code, message }],
      error: code,
      error_description: message,
    },
    { status },
  );
}

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  unsupported_grant_type: 400,
  invalid_scope: 400,
};

/**
 * A faithful MSW mock of a commercetools Region: `POST https://auth.{region}.commercetools.com/oauth/token`
 * (client credentials, HTTP Basic client authentication, scopes `{scope}:{projectKey}`, 48 h
 * tokens) and a project's API at `https://api.{region}.commercetools.com/{projectKey}/…`.
 *
 * @example
 * ```ts
 * const ct = commercetoolsMock({ projectKey: 'acme' });
 * setupServer(...ct.handlers).listen({ onUnhandledFrame: 'error' });
 * ```
 */
export function commercetoolsMock(options: CommercetoolsMockOptions = {}): ClientCredentialsMock {
  const region = options.region ?? COMMERCETOOLS_MOCK_DEFAULTS.region;
  const projectKey = options.projectKey ?? COMMERCETOOLS_MOCK_DEFAULTS.projectKey;
  // `manage_project:{key}`, `view_products:{key}`, store scopes `manage_orders:{key}:{storeKey}`.
  const scopePattern = new RegExp(`^[a-z_]+:${projectKey}(?::[A-Za-z0-9_-]+)?$`);
  return clientCredentialsMock(options, {
    tokenUrl: `https://auth.${region}.commercetools.com/oauth/token`,
    apiOrigin: `https://api.${region}.commercetools.com`,
    defaults: COMMERCETOOLS_MOCK_DEFAULTS,
    // docs.commercetools.com "HTTP API authorization": client-credentials tokens last 48 hours
    // unless the API client sets accessTokenValiditySeconds.
    lifetimeSeconds: 172_800,
    shape: {
      clientAuth: 'basic',
      error: (code, description) => commercetoolsError(STATUS[code], code, description),
      acceptsScope: (scope) => scopePattern.test(scope),
      defaultScope: (client) => client.scopes?.join(' ') ?? `manage_project:${projectKey}`,
      accessToken: () => makeOpaqueToken(),
      tokenType: 'Bearer',
    },
    unauthorized: () => commercetoolsError(401, 'invalid_token', 'invalid_token'),
    routes: [
      {
        method: 'get',
        path: `/${projectKey}`,
        body: () => ({ key: projectKey, name: projectKey }),
      },
      {
        method: 'get',
        path: `/${projectKey}/products`,
        body: () => ({ limit: 20, offset: 0, count: 0, total: 0, results: [] }),
      },
    ],
  });
}
