// RFC 6749 §4.4 client credentials with every client authentication, discovery and resource indicators.

import type { OptionCheck } from '../options/validate.ts';
import type { FetchContext, Token, TokenProvider } from '../types.ts';
import type { ClientCredentialsOptions } from './client-credentials.ts';
import { type GrantOptions, grantChecks, grantEndpoint } from './grant-endpoint.ts';
import { refineEndpointError } from './grant-errors.ts';
import { LIFETIME_AND_BROWSER_CHECKS, refuseInBrowser } from './provider-parts.ts';

/**
 * Client credentials with a private key or an HS256 JWT (RFC 7523), discovery (`issuer`), or RFC
 * 8707 `resource` / `audience`. (`clientCredentials()` stays the small secret-only provider: an
 * app that imports it does not bundle signing and discovery.)
 */
export type ClientCredentialsGrantOptions = GrantOptions &
  Pick<ClientCredentialsOptions, 'defaultLifetimeMs' | 'allowBrowser'>;

const CHECKS: Readonly<Record<string, OptionCheck>> = /* @__PURE__ */ grantChecks(
  LIFETIME_AND_BROWSER_CHECKS,
);

/**
 * A client-credentials provider for every client authentication method. The cache key binds the
 * credential (HMAC under the secret, or the RFC 7638 thumbprint of the key's public part) and the
 * target: each `resource` / `audience` / `scope` gets its own token.
 *
 * @example
 * const auth = createTokenManager(
 *   clientCredentialsGrant({ issuer: 'https://id.example.com', clientId, privateKey: jwk, resource: 'https://api.example.com' }),
 *   { origins: ['https://api.example.com'] },
 * );
 */
export function clientCredentialsGrant(options: ClientCredentialsGrantOptions): TokenProvider {
  const endpoint = grantEndpoint('client-credentials', options, 'clientCredentials()', CHECKS);
  if (endpoint.auth.secrets.length > 0) {
    refuseInBrowser(options.privateKey ? 'privateKey' : 'clientSecret', options.allowBrowser);
  }
  const fetchToken = (context: FetchContext): Promise<Token> =>
    endpoint
      .request(context, 'client_credentials')
      .then((request) => context.request(request))
      .catch((error: unknown) => {
        // `invalid_client` / `invalid_grant` as their typed errors.
        throw refineEndpointError(error);
      });
  return endpoint.provider(endpoint.key(), fetchToken, options.defaultLifetimeMs);
}
