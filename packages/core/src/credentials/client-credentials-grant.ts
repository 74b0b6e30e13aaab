// RFC 6749 §4.4 client credentials with every client authentication, discovery and resource indicators.

import { MAX_LIFETIME_MS } from '../endpoint/token-response.ts';
import { isBoolean, isNumber, type OptionCheck, optional } from '../options/validate.ts';
import type { FetchContext, Token, TokenProvider } from '../types.ts';
import { concealSecrets, refuseInBrowser } from './client-credentials.ts';
import { GrantEndpoint, type GrantOptions, grantChecks } from './grant-endpoint.ts';
import { refineEndpointError } from './grant-errors.ts';

/**
 * Client credentials with a private key or an HS256 JWT (RFC 7523), discovery (`issuer`), or RFC
 * 8707 `resource` / `audience`. (`clientCredentials()` stays the small secret-only provider: an
 * app that imports it does not bundle signing and discovery.)
 */
export type ClientCredentialsGrantOptions = GrantOptions & {
  /** Lifetime when the answer has neither `expires_in` nor a JWT `exp`. Default 300 000 ms. */
  readonly defaultLifetimeMs?: number;
  /** A client secret or private key in a browser is readable by anyone; refused unless you say so. */
  readonly allowBrowser?: boolean;
};

const CHECKS: Readonly<Record<string, OptionCheck>> = /* @__PURE__ */ grantChecks({
  defaultLifetimeMs: /* @__PURE__ */ optional(
    /* @__PURE__ */ isNumber(0, MAX_LIFETIME_MS, { exclusiveMin: true }),
  ),
  allowBrowser: /* @__PURE__ */ optional(isBoolean),
});

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
  const endpoint = new GrantEndpoint('client-credentials', options, 'clientCredentials()', CHECKS);
  if (endpoint.auth.secrets.length > 0) {
    refuseInBrowser(options.privateKey ? 'privateKey' : 'clientSecret', options.allowBrowser);
  }
  const fetchToken = (context: FetchContext): Promise<Token> =>
    endpoint
      .request(context, endpoint.body('client_credentials'))
      .then((request) => context.request(request))
      .catch((error: unknown) => {
        // `invalid_client` / `invalid_grant` as their typed errors.
        throw refineEndpointError(error);
      });
  return concealSecrets(
    {
      key: endpoint.key(),
      label: endpoint.label,
      fetchToken,
      ...(options.defaultLifetimeMs === undefined
        ? {}
        : { defaultLifetimeMs: options.defaultLifetimeMs }),
    },
    endpoint.secrets,
  );
}
