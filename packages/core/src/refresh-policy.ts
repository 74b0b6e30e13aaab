// When a token is due for a background refresh, when it counts as expired, and which tokens may be adopted.
import type { FetchReason, Token } from './types.ts';

export interface RefreshPolicy {
  readonly refreshWindowMs: number;
  readonly expiryMarginMs: number;
}

function lifetime(token: Token): number {
  return Math.max(0, token.expiresAt - token.issuedAt);
}

/** After this, callers wait for a new token: the margin absorbs clock skew and request latency. */
export function hardExpiry(token: Token, policy: RefreshPolicy): number {
  return token.expiresAt - Math.min(policy.expiryMarginMs, lifetime(token) / 20);
}

/**
 * After this, callers still get the token at once while one background refresh runs. The window
 * scales with short lifetimes (a fifth of the lifetime at most), so a 5-minute token is used for
 * 4 minutes (about 1.25 token requests per lifetime, not 2), and `jitter` moves it up to a tenth
 * earlier so processes do not refresh in lockstep.
 */
export function refreshAt(token: Token, policy: RefreshPolicy, jitter: number): number {
  const window = Math.min(policy.refreshWindowMs, lifetime(token) / 5);
  return token.expiresAt - window - window * 0.1 * jitter;
}

/** A token that came back from the token endpoint already past its hard expiry is useless. */
export function arrivedExpired(token: Token, now: number, policy: RefreshPolicy): boolean {
  return now >= hardExpiry(token, policy);
}

/** Whether a token read from the store may be served instead of fetching one. */
export function isAdoptable(
  stored: Token,
  replaced: Token | undefined,
  rejected: (token: Token) => boolean,
  now: number,
  refreshAtOfStored: number,
): boolean {
  if (rejected(stored)) return false;
  if (replaced && stored.accessToken === replaced.accessToken) return false;
  // A token issued before the one being replaced is likely dead too (revocations, Oracle's refresh).
  if (replaced && stored.issuedAt < replaced.issuedAt) return false;
  return now < refreshAtOfStored;
}

/** Why a caller's fetch happens: forced, replacing a still-valid token, or a first one. */
export function fetchReason(current: Token | undefined, now: number, forced: boolean): FetchReason {
  if (forced) return 'forced';
  return current && now < current.expiresAt ? 'refresh' : 'initial';
}
