// When a token is due for a background refresh, and when it counts as expired.
import type { Token } from './types.ts';

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
