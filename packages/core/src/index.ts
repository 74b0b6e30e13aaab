// @authwire/core: what applications call. What adapter, preset and store authors need is in `./kit`
// (`@authwire/core/kit`): the request seam, option checks, URL and JWT helpers. They are not here
// so that an application's import shows only what it should use.
export type { AuthFetchOptions, Fetch } from './auth-fetch.ts';
export { authFetch } from './auth-fetch.ts';
export type { ClientCredentialsOptions } from './client-credentials.ts';
export { clientCredentials } from './client-credentials.ts';
export { systemClock } from './clock.ts';
export type {
  ClientAuthMethod,
  ClientAuthOptions,
} from './credentials/client-auth.ts';
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
export type { AuthwireErrorCode, TimeoutSpent, TokenEndpointErrorDetails } from './errors.ts';
export {
  AbortedError,
  AuthwireError,
  ClosedError,
  InsecureUrlError,
  InvalidOptionsError,
  InvalidTokenResponseError,
  isAuthwireError,
  RateLimitedError,
  ResponseTooLargeError,
  TimeoutError,
  TokenEndpointError,
} from './errors.ts';
export type { ManagerPool, ManagerPoolOptions, PooledManager } from './manager-pool.ts';
export { managerPool } from './manager-pool.ts';
export type {
  AuthorizeOptions,
  GetTokenOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager-types.ts';
export type { MemoryStoreOptions } from './memory-store.ts';
export { memoryStore } from './memory-store.ts';
export type { NetworkFailureKind } from './network-failure.ts';
export type { StaticCredentialsOptions } from './static-credentials.ts';
export { staticCredentials } from './static-credentials.ts';
export { createTokenManager } from './token-manager.ts';
export type {
  AttemptFields,
  Authorization,
  Clock,
  FetchContext,
  FetchReason,
  ParsedError,
  ProviderState,
  RateLimit,
  RateLimitSource,
  StoreLock,
  SurfacedReason,
  Token,
  TokenEvent,
  TokenEventType,
  TokenProvider,
  TokenRequest,
  TokenStore,
} from './types.ts';
