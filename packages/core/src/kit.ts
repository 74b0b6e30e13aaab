// @authwire/core/kit: what adapter, preset and store authors call (applications need only the root).
// It follows semver like the root export; "For package authors" in the core README lists each name's user.

// The request seam (adapters, authFetch, undici).
export { type SeamFetchOptions, seamFetch, setHeaders } from './auth-fetch.ts';
export { REDACTED } from './body.ts';
// Presets and providers.
export { concealSecrets } from './client-credentials.ts';
// Stores and instrumentation.
export { formatEvent } from './debug.ts';
export { cacheKey, credentialFingerprint } from './fingerprint.ts';
export { decodeJwtClaims, type JwtClaims } from './jwt.ts';
export type {
  AuthorizeOptions,
  GetTokenOptions,
  ReauthorizeOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager-types.ts';
export { presetManager } from './preset.ts';
export { isReplayable } from './replay.ts';
export type { HeaderSource, IncomingResponse, OutgoingRequest, Retry } from './request-auth.ts';
export { type RequestAuth, requestAuth } from './request-auth.ts';
export { MAX_TIMER_MS, MAX_WAIT_MS } from './settings.ts';
export { observeTokenRequests } from './token-manager.ts';
export { type ValidateTokenOptions, validateToken } from './token-response.ts';
export type {
  Authorization,
  Challenge,
  FetchContext,
  ParsedError,
  RateGate,
  RateGateAnswer,
  RateGateRequest,
  RateLimit,
  RequestTarget,
  Token,
  TokenProvider,
  TokenRequest,
  TokenRequestInfo,
  TokenRequestWrapper,
  TokenStore,
} from './types.ts';
export { isLoopbackHost, labelOf, secureUrl } from './url.ts';
export { checkOptions, invalidOption, type OptionCheck, oneOf, optional } from './validate.ts';
