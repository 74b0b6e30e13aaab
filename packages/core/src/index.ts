// @authwire/core: what applications call. What adapter, preset and store authors need is in `./kit`
// (`@authwire/core/kit`): the request seam, option checks, URL and JWT helpers. They are not here
// so that an application's import shows only what it should use; nor are the provider and store
// plumbing types (FetchContext, TokenRequest, ParsedError, StoreLock, RateLimit, FetchReason).

export { systemClock } from './clock.ts';
export type { ClientAuthMethod, ClientAuthOptions } from './credentials/client-auth.ts';
export type { ClientCredentialsOptions } from './credentials/client-credentials.ts';
export { clientCredentials } from './credentials/client-credentials.ts';
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
export type { StaticCredentialsOptions } from './credentials/static-credentials.ts';
export { staticCredentials } from './credentials/static-credentials.ts';
export type { DpopKeyPair, DpopOption } from './dpop/dpop-option.ts';
export type { NetworkFailureKind } from './endpoint/network-failure.ts';
export type {
  AuthwireErrorCode,
  TimeoutSpent,
  TokenEndpointErrorDetails,
} from './errors/errors.ts';
export {
  AbortedError,
  AuthwireError,
  ClosedError,
  EndpointDownError,
  InsecureUrlError,
  InvalidOptionsError,
  InvalidTokenResponseError,
  isAuthwireError,
  RateLimitedError,
  ResponseTooLargeError,
  TimeoutError,
  TokenEndpointError,
} from './errors/errors.ts';
export type { ManagerPool, ManagerPoolOptions, PooledManager } from './manager/manager-pool.ts';
export { managerPool } from './manager/manager-pool.ts';
export type {
  AuthorizeOptions,
  GetTokenOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager/manager-types.ts';
export { createTokenManager } from './manager/token-manager.ts';
export type { AuthFetchOptions, Fetch } from './request/auth-fetch.ts';
export { authFetch } from './request/auth-fetch.ts';
export type { MemoryStoreOptions } from './store/memory-store.ts';
export { memoryStore } from './store/memory-store.ts';
export type {
  AttemptFields,
  Authorization,
  Clock,
  ProviderState,
  RateLimitSource,
  SurfacedReason,
  Token,
  TokenEvent,
  TokenEventType,
  TokenProvider,
  TokenStore,
} from './types.ts';
