// @authwire/core/kit: the surface for adapter, preset and store authors (not for applications).
// Everything here is documented in the core README under "For package authors"; it follows semver
// like the root export, but applications should not need any of it.
export { assertTokenManager, isReplayableBody, REDACTED } from './body.ts';
export type { JwtClaims } from './jwt.ts';
export { decodeJwtClaims } from './jwt.ts';
export { lockedLoad } from './lock.ts';
export type { SentHeaders } from './sent-headers.ts';
export { sentHeaders } from './sent-headers.ts';
export type {
  LockedLoad,
  RateGate,
  RateGateAnswer,
  RateGateRequest,
  TokenRequestInfo,
  TokenRequestWrapper,
} from './types.ts';
export { isLoopbackHost, secureUrl } from './url.ts';
export { invalidOption, oneOf } from './validate.ts';
