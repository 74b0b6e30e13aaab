// @authwire/core/kit: the surface for adapter, preset and store authors (applications should not need it).
// It follows semver like the root export; see "For package authors" in the core README.
export { seamFetch, setHeaders } from './auth-fetch.ts';
export { assertTokenManager, isReplayableBody, REDACTED } from './body.ts';
export { concealSecrets } from './client-credentials.ts';
export { formatEvent } from './debug.ts';
// The terminal-safe line (control characters and escape sequences out) and the one scrubber, for
// any package that prints what a server or a user sent (the CLI).
export { sanitizeText } from './errors.ts';
export { cacheKey, credentialFingerprint } from './fingerprint.ts';
export type { JwtClaims } from './jwt.ts';
export { decodeJwtClaims } from './jwt.ts';
export { MANAGER_OPTION_NAMES } from './manager-options.ts';
export type {
  AuthorizeOptions,
  GetTokenOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager-types.ts';
export { presetManager } from './preset.ts';
export { queryValues, scrub, scrubError, tokenSecrets } from './redact.ts';
export { followRedirects, needsOwnRedirects } from './redirects.ts';
export type { ReceivedResponse, SentRequest } from './request-auth.ts';
export { observeTokenRequests, RequestAuth, requestAuth, tokenValue } from './request-auth.ts';
export { MAX_TIMER_MS, MAX_WAIT_MS } from './settings.ts';
export type { ValidateTokenOptions } from './token-response.ts';
export { validateToken } from './token-response.ts';
export type {
  Authorization,
  FetchContext,
  ParsedError,
  RateGate,
  RateGateAnswer,
  RateGateRequest,
  RateLimit,
  Token,
  TokenProvider,
  TokenRequest,
  TokenRequestInfo,
  TokenRequestWrapper,
  TokenStore,
} from './types.ts';
export { isLoopbackHost, labelOf, secureUrl } from './url.ts';
export type { OptionCheck } from './validate.ts';
export { checkOptions, invalidOption, oneOf, optional } from './validate.ts';
