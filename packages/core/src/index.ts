// @authwire/core: what applications call (18 values: the manager, its credentials, fetch, pool,
// store and errors). Elsewhere, so that an application's import shows only what it should use:
// - `@authwire/core/grants`: clientCredentialsGrant (private_key_jwt, client_secret_jwt,
//   discovery, resources), refreshToken, clearDiscoveryCache and their errors — optional grants,
//   so that a plain client secret bundles no signing or discovery;
// - `@authwire/core/dpop`: `dpop()`, the value of the `dpop` option, so that an application
//   without DPoP bundles none of it;
// - `@authwire/core/kit`: what adapter, preset and store authors call (the request seam, option
//   checks, URL and JWT helpers, `systemClock`), and the provider and store plumbing types
//   (FetchContext, TokenRequest, ParsedError, StoreLock, RateLimit, FetchReason, ProviderState).

export type { ClientCredentialsOptions } from './credentials/client-credentials.ts';
export { clientCredentials } from './credentials/client-credentials.ts';
export type { StaticCredentialsOptions } from './credentials/static-credentials.ts';
export { staticCredentials } from './credentials/static-credentials.ts';
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
  DpopOption,
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
  RateLimitSource,
  SurfacedReason,
  Token,
  TokenEvent,
  TokenEventType,
  TokenProvider,
  TokenStore,
} from './types.ts';
