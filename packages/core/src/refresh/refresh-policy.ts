// Every refresh rule: when a token is due for a background refresh, when it counts as expired, which tokens may be adopted, and the background refresh's back-off.

import { EndpointDownError, RateLimitedError } from '../errors/errors.ts';
import {
  BACKGROUND_RETRY_BASE_MS,
  BACKGROUND_RETRY_MAX_MS,
  type Settings,
} from '../options/settings.ts';
import { backoffDelay, capWait } from '../rate-limit/backoff.ts';
import type { Authorization, FetchReason, Token } from '../types.ts';

/** `adaptive` (the default): window and margin follow the observed latency, not the fixed ones. */
type RefreshPolicy = Pick<Settings, 'refreshWindowMs' | 'expiryMarginMs' | 'adaptive'>;

/** The adaptive lead before the margin: at least 1 s, ... */
const MIN_REFRESH_LEAD_MS = 1_000;
/** ... 4 round trips (time for a slow answer and one retry before the margin), ... */
const LEAD_ROUND_TRIPS = 4;
/**
 * ... and 1.5 × the longest recent gap between calls: refresh-ahead is driven by calls, so the
 * window must be wider than their gaps, or the token runs out between two and the next one waits.
 */
const CALL_GAP_FACTOR = 1.5;

/** What the adaptive window is derived from, per key. */
export interface Observed {
  /** The slowest recent token round trip. */
  readonly latencyMs: number;
  /** The longest recent gap between two calls. */
  readonly callGapMs: number;
}

const lifetime = (token: Token): number => Math.max(0, token.expiresAt - token.issuedAt);

/**
 * The safety margin before expiry, after which callers wait for a new token. Lifetimes count from
 * when the token request was sent, so it only covers an API request in flight: a sixtieth of the
 * lifetime by default (1 s of a 60 s token, 30 s at most), a twentieth at most when set by hand.
 */
const margin = (token: Token, policy: RefreshPolicy): number =>
  Math.min(policy.expiryMarginMs, lifetime(token) / (policy.adaptive ? 60 : 20));

const hardExpiry = (token: Token, policy: RefreshPolicy): number =>
  token.expiresAt - margin(token, policy);

/**
 * After this, callers still get the token at once while one background refresh runs. By default
 * (adaptive) the window is the margin plus a lead of a few observed token round trips (at least
 * 1 s) or, when calls are sparse, 1.5 × the longest recent gap between calls: enough for a call
 * to start the refresh and for it to land before anyone must wait, and under steady load little
 * enough that a token is used for nearly all of its life (≤ 1.05 token requests per lifetime
 * from 60 s up).
 * A fixed `refreshWindowMs` is used as given. Either way the window is at most a fifth of the
 * lifetime, and `jitter` moves it up to a tenth earlier so processes do not refresh in lockstep.
 */
export function refreshAt(
  token: Token,
  policy: RefreshPolicy,
  jitter: number,
  observed: Observed,
): number {
  const cap = Math.min(policy.refreshWindowMs, lifetime(token) / 5);
  const lead = Math.max(
    MIN_REFRESH_LEAD_MS,
    LEAD_ROUND_TRIPS * observed.latencyMs,
    CALL_GAP_FACTOR * observed.callGapMs,
  );
  const window = policy.adaptive ? Math.min(cap, margin(token, policy) + lead) : cap;
  return token.expiresAt - window - window * 0.1 * jitter;
}

/** Whether `token` is past its hard expiry (useless, even fresh from the token endpoint). */
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
  // A token issued before the one being replaced is likely dead too (revocations, Oracle's refresh).
  const stale =
    replaced &&
    (stored.accessToken === replaced.accessToken || stored.issuedAt < replaced.issuedAt);
  return !stale && !rejected(stored) && now < refreshAtOfStored;
}

/** Why a caller's fetch happens: forced, replacing a still-valid token, or a first one. */
export function fetchReason(current: Token | undefined, now: number, forced: boolean): FetchReason {
  if (forced) return 'forced';
  return current && now < current.expiresAt ? 'refresh' : 'initial';
}

/** Back-off state of one key's background refresh. */
export class BackgroundRefresh {
  #failures = 0;
  #nextAt = 0;

  /** Whether a background refresh may start now (not while backing off from a failed one). */
  isDue(now: number): boolean {
    return now >= this.#nextAt;
  }

  succeeded(): void {
    this.#failures = 0;
    this.#nextAt = 0;
  }

  /** After a failure: no new attempt before the back-off; the valid token is served meanwhile. */
  failed(now: number, error: unknown, random: number): void {
    this.#failures += 1;
    const retryInMs =
      error instanceof RateLimitedError || error instanceof EndpointDownError
        ? capWait(error.retryAfterMs)
        : backoffDelay(this.#failures, BACKGROUND_RETRY_BASE_MS, BACKGROUND_RETRY_MAX_MS, random);
    this.#nextAt = now + retryInMs;
  }
}

/**
 * The cached token with its deadlines and headers (the hot path's cache): the headers once per
 * token, the deadlines again when what they are derived from changed (a longer gap between calls
 * seen after the token arrived widens its window: calls 30 s apart still land in it).
 */
export interface Hot {
  readonly token: Token;
  readonly jitter: number;
  readonly observations: number;
  readonly refreshAt: number;
  readonly expiresAt: number;
  readonly authorization: Authorization;
}

/** `previous` while it is still about `token`, its jitter and the observations, else the deadlines worked out anew. */
export function hotFor(
  previous: Hot | undefined,
  token: Token,
  entry: { readonly jitter: number; readonly observed: Observed; readonly observations: number },
  policy: RefreshPolicy,
  authorization: () => Authorization,
): Hot {
  const same = previous?.token === token;
  const { jitter, observations } = entry;
  if (same && previous.jitter === jitter && previous.observations === observations) return previous;
  return {
    token,
    jitter,
    observations,
    refreshAt: refreshAt(token, policy, jitter, entry.observed),
    expiresAt: hardExpiry(token, policy),
    authorization: same ? previous.authorization : authorization(),
  };
}

/**
 * After a caller's refresh failed: the old token is still served while it lives, unless it was
 * rejected or replaced (a revoking refresh that failed did not revoke it).
 */
export function servesAfterFailedRefresh(
  old: Token | undefined,
  replaced: Token | undefined,
  entry: { isRejected(token: Token): boolean },
  now: number,
  policy: RefreshPolicy,
): boolean {
  return (
    old !== undefined &&
    old === replaced &&
    !entry.isRejected(old) &&
    !arrivedExpired(old, now, policy)
  );
}

/** Before the refresh point and the hard expiry: served as is, nothing to start. */
export function isFresh(hot: Hot, now: number): boolean {
  return now < hot.refreshAt && now < hot.expiresAt;
}

/**
 * The hot path's rule for the cached token at `now`: served until its hard expiry; inside the
 * refresh window `refresh()` starts the background refresh, and for a provider whose refresh
 * revokes the old token callers then wait for the new one instead.
 */
export function servesCached(
  hot: Hot,
  now: number,
  entry: { readonly inflight: unknown },
  revokesPrevious: boolean,
  refresh: () => void,
): boolean {
  if (isFresh(hot, now)) return true;
  if (now >= hot.expiresAt) return false;
  refresh();
  return !(revokesPrevious && entry.inflight);
}

/**
 * Starts one background refresh unless one is in flight or the key is backing off from a failed
 * one. A revoking refresh has callers waiting for it: it is not background work. After a failure
 * the valid token keeps being served and a later call tries again once the back-off has passed; a
 * new token resets the back-off (KeyEntry.adopt).
 */
export function refreshAhead(
  entry: { readonly inflight: unknown; readonly background: BackgroundRefresh },
  monotonic: () => number,
  random: () => number,
  revokesPrevious: boolean,
  acquire: (background: boolean) => Promise<Token>,
): void {
  if (entry.inflight || !entry.background.isDue(monotonic())) return;
  acquire(!revokesPrevious).catch((error: unknown) =>
    entry.background.failed(monotonic(), error, random()),
  );
}

/** After a 401 for `rejected`: the token another caller already replaced it with, while it is good. */
export function replacementOf(
  rejected: Token,
  current: Token | undefined,
  now: number,
  policy: RefreshPolicy,
): Token | undefined {
  if (!current || current.accessToken === rejected.accessToken) return undefined;
  return arrivedExpired(current, now, policy) ? undefined : current;
}
