export type { AuthFetchOptions, Fetch } from './auth-fetch.ts';
export { authFetch } from './auth-fetch.ts';
export { assertTokenManager, isReplayableBody, REDACTED } from './body.ts';
export type { ClientCredentialsOptions } from './client-credentials.ts';
export { clientCredentials } from './client-credentials.ts';
export { systemClock } from './clock.ts';
export type { AuthwireErrorCode, TokenEndpointErrorDetails } from './errors.ts';
export {
  AbortedError,
  AuthwireError,
  ClosedError,
  InsecureUrlError,
  InvalidOptionsError,
  InvalidTokenResponseError,
  isAuthwireError,
  RateLimitedError,
  TimeoutError,
  TokenEndpointError,
} from './errors.ts';
export type { JwtClaims } from './jwt.ts';
export { decodeJwtClaims } from './jwt.ts';
export { lockedLoad } from './lock.ts';
export type { ManagerPool, ManagerPoolOptions, PooledManager } from './manager-pool.ts';
export { managerPool } from './manager-pool.ts';
export type {
  AuthorizeOptions,
  GetTokenOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager-types.ts';
export { memoryStore } from './memory-store.ts';
export type { SentHeaders } from './sent-headers.ts';
export { sentHeaders } from './sent-headers.ts';
export { createTokenManager } from './token-manager.ts';
export type {
  Authorization,
  Clock,
  FetchContext,
  FetchReason,
  LockedLoad,
  ParsedError,
  RateLimit,
  StoreLock,
  Token,
  TokenEvent,
  TokenProvider,
  TokenRequest,
  TokenStore,
} from './types.ts';
export { isLoopbackHost, secureUrl } from './url.ts';
export { invalidOption, oneOf } from './validate.ts';
