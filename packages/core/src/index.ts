export { isReplayableBody, REDACTED } from './body.ts';
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
export type { AuthwireErrorCode, TokenEndpointErrorDetails } from './errors.ts';
export type {
  AuthorizeOptions,
  GetTokenOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager-types.ts';
export type {
  Authorization,
  Clock,
  FetchContext,
  FetchReason,
  ParsedError,
  RateLimit,
  StoreLock,
  Token,
  TokenEvent,
  TokenProvider,
  TokenRequest,
  TokenStore,
} from './types.ts';
