// @authwire/core/kit: what adapter, preset and store authors call (applications need only the root).
// It follows semver like the root export; "For package authors" in the core README lists each name's user.

// The real clock, for a test or a simulation to spread and change one part of.
export { systemClock } from './clock.ts';
// Presets and providers.
export { concealSecrets } from './credentials/client-credentials.ts';
export { cacheKey, credentialFingerprint } from './credentials/fingerprint.ts';
export { decodeJwtClaims, type JwtClaims } from './endpoint/jwt.ts';
export { type ValidateTokenOptions, validateToken } from './endpoint/token-response.ts';
// The terminal-safe line and the one scrubber, for any package that prints what a server or a
// user sent (the CLI).
export {
  queryValues,
  REDACTED,
  sanitizeText,
  scrub,
  scrubError,
  tokenSecrets,
} from './errors/redact.ts';
export type {
  AuthorizeOptions,
  GetTokenOptions,
  ReauthorizeOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager/manager-types.ts';
export { presetManager } from './manager/preset.ts';
// Stores and instrumentation.
export { formatEvent } from './observe/events.ts';
export { observeTokenRequests } from './observe/instrument.ts';
export { credential, matching, overrideUrl } from './options/preset-checks.ts';
export { MAX_TIMER_MS, MAX_WAIT_MS } from './options/settings.ts';
export {
  checkOptions,
  invalidOption,
  type OptionCheck,
  oneOf,
  optional,
} from './options/validate.ts';
// The request seam (adapters, authFetch, undici).
export { type SeamFetchOptions, seamFetch } from './request/auth-fetch.ts';
export { type HeaderSource, setHeaders } from './request/headers.ts';
export { isLoopbackHost, labelOf, secureUrl } from './request/origins.ts';
export { followRedirects, sendFollowing } from './request/redirects.ts';
export { isReplayable } from './request/replay.ts';
export { type RequestAuth, requestAuth } from './request/request-auth.ts';
export type {
  IncomingResponse,
  OutgoingRequest,
  Retry,
} from './request/seam-types.ts';
export type {
  Authorization,
  Challenge,
  FetchContext,
  FetchReason,
  OutageBackoff,
  OutageGate,
  ParsedError,
  ProviderState,
  RateGate,
  RateGateAnswer,
  RateGateRequest,
  RateLimit,
  RequestTarget,
  StoreLock,
  Token,
  TokenProvider,
  TokenRequest,
  TokenRequestInfo,
  TokenRequestWrapper,
  TokenStore,
} from './types.ts';
