// @authwire/core/grants: the optional token providers (OAuth grants and client authentications
// beyond a plain secret) and their errors. Apart from the root so that an application using
// `clientCredentials` with a secret bundles no signing, discovery or refresh-token rotation.
// `staticCredentials` stays in the root: it makes a manager, not a provider, and is no grant.

export type { ClientAuthMethod, ClientAuthOptions } from './credentials/client-auth.ts';
export type { ClientCredentialsGrantOptions } from './credentials/client-credentials-grant.ts';
export { clientCredentialsGrant } from './credentials/client-credentials-grant.ts';
export { clearDiscoveryCache } from './credentials/discovery.ts';
export type { EndpointOptions, GrantOptions, TargetOptions } from './credentials/grant-endpoint.ts';
export {
  DiscoveryError,
  InvalidClientError,
  InvalidGrantError,
} from './credentials/grant-errors.ts';
export type { AssertionAlgorithm, PrivateJwk, SigningCryptoKey } from './credentials/jws.ts';
export type { RefreshTokenOptions } from './credentials/refresh-token.ts';
export { refreshToken } from './credentials/refresh-token.ts';
