// Every default and constant of the token manager, with its reason, and the checks on what a caller passes.

import { MAX_LIFETIME_MS } from '../endpoint/token-response.ts';
import type { TokenManagerOptions } from '../manager/manager-types.ts';
import type { TokenProvider } from '../types.ts';
import { isNumber, optional } from './validate.ts';

/**
 * setTimeout's ceiling: a longer delay overflows into an immediate wake-up.
 *
 * @example
 * setTimeout(wake, Math.min(delayMs, MAX_TIMER_MS));
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * The longest any wait (Retry-After, back-off, a blocked key) may last: a server cannot park us for a year.
 *
 * @example
 * const waitMs = Math.min(retryAfterMs, MAX_WAIT_MS);
 */
export const MAX_WAIT_MS = 600_000;

/** Keeps a delay inside [0, MAX_TIMER_MS] so no timer overflows. */
export function clampTimer(ms: number): number {
  return Number.isFinite(ms) ? Math.min(MAX_TIMER_MS, Math.max(0, ms)) : MAX_TIMER_MS;
}

const DEFAULTS = {
  refreshWindowMs: 120_000,
  expiryMarginMs: 30_000,
  requestTimeoutMs: 15_000,
  /**
   * A caller's whole wait for a token: every attempt, back-off and rate-limit wait. Behind a hung
   * identity server the old default was 3 × 15 s + back-off = 45.6 s; now one wait of 15 s.
   */
  tokenTimeoutMs: 15_000,
  maxAttempts: 3,
  retryBaseDelayMs: 250,
  retryMaxDelayMs: 10_000,
  maxRetryAfterMs: 10_000,
  lockTtlMs: 60_000,
  defaultLifetimeMs: 300_000,
  defaultRetryAfterMs: 30_000,
  /** Token responses are small; a bigger body is an attack or a misconfigured proxy. */
  maxResponseBytes: 65_536,
} as const;

/** Lock polling: fast at first (the holder is usually quick), then every 250 ms. */
export const LOCK_POLL_FIRST_MS = 25;
export const LOCK_POLL_MAX_MS = 250;

/** Rejected access tokens remembered per key: only the last few can still come back from a store. */
export const REJECTED_TOKENS_KEPT = 16;

/** Before the first token, call gaps count this far back (later: one token lifetime). */
export const CALL_GAP_HORIZON_MS = 3_600_000;

/** Token round trips the adaptive refresh lead looks back over (their maximum; the last half at least). */
export const LATENCY_SAMPLES = 16;

/** Tokens a request seam remembers handing out, to find the one a 401 was sent with. */
export const SENT_TOKENS_KEPT = 4;

/**
 * The longest an endpoint that keeps failing (5xx, no answer) is left alone between two attempts
 * of the fleet: it bounds the recovery after an outage (the endpoint is tried again at most this
 * long after it came back, plus one round trip), and makes an outage of N s cost about
 * log2(OUTAGE_BACKOFF_MAX_MS / retryBaseDelayMs) + N / OUTAGE_BACKOFF_MAX_MS × 4/3 token requests.
 */
export const OUTAGE_BACKOFF_MAX_MS = 4_000;

/** Origins whose latest DPoP nonce a manager keeps (RFC 9449 §8): a manager talks to a handful. */
export const DPOP_NONCES_KEPT = 32;

/** A retry is sent only when at least this long (or requestTimeoutMs, if shorter) is left of tokenTimeoutMs. */
export const MIN_ATTEMPT_MS = 1_000;

/** Background refresh back-off after a failure: 1 s doubling, at most 30 s. */
export const BACKGROUND_RETRY_BASE_MS = 1_000;
export const BACKGROUND_RETRY_MAX_MS = 30_000;

/**
 * Abandoned loads a waiting caller redoes before it loads for itself, unshared. Each one is a
 * request that started a load and ended before it settled (Cloudflare Workers cancel its I/O).
 */
export const REDONE_LOADS_MAX = 3;

/**
 * The longest a live load can take: every wait in it is bounded (store calls, the cross-process
 * lock, the rate gate, each attempt, each back-off), and this is their sum. A load still unsettled
 * past it was abandoned by the request that started it (its timers were cancelled with it), and the
 * next caller starts afresh.
 */
export function loadBoundMs(settings: Readonly<Settings>): number {
  const store = 5 * Math.min(STORE_TIMEOUT_MS, settings.requestTimeoutMs);
  const lock = 2 * settings.lockTtlMs;
  const admission = Math.max(settings.maxRetryAfterMs, settings.requestTimeoutMs);
  const backoff = Math.max(settings.retryMaxDelayMs, settings.maxRetryAfterMs);
  return store + lock + settings.maxAttempts * (admission + settings.requestTimeoutMs + backoff);
}

/** How long `close()` waits for revocation and in-flight work before it settles anyway. */
export const CLOSE_BOUND_MS = 5_000;

/** A store operation may take this long (at most the request timeout) before it counts as failed. */
export const STORE_TIMEOUT_MS = 5_000;

/** Token responses are a few hundred bytes; 64 KiB leaves room for fat JWTs and error pages. */
export const DEFAULT_MAX_RESPONSE_BYTES: number = DEFAULTS.maxResponseBytes;

/**
 * Settings of one manager: the numbers, whether the refresh window adapts to latency, and whether
 * close() revokes the token (here, not a field of each manager: bench 4, "manager + token").
 */
export type Settings = { -readonly [K in keyof typeof DEFAULTS]: number } & {
  adaptive: boolean;
  revokeOnClose: boolean;
};

/** Shared by every manager that changes none of them: one object, not one each (bench 4, "manager + token"). */
const DEFAULT_SETTINGS: Settings = Object.freeze({
  ...DEFAULTS,
  adaptive: true,
  revokeOnClose: false,
});

/**
 * The settings of one manager. `options` were checked by `checkManagerOptions` (type and range of
 * every field); the provider's `defaultLifetimeMs` is checked here, the one setting it brings.
 */
export function settingsFrom(
  provider: TokenProvider,
  options: TokenManagerOptions,
): Readonly<Settings> {
  // A provider's fallback lifetime: more than 0, at most the 24 h every lifetime is capped at.
  optional(isNumber(1, MAX_LIFETIME_MS))(provider.defaultLifetimeMs, 'defaultLifetimeMs');
  const given: Record<string, unknown> = {
    ...options,
    defaultLifetimeMs: provider.defaultLifetimeMs,
  };
  // A window or margin set by hand is used as given; otherwise both follow the observed latency.
  const adaptive = options.refreshWindowMs === undefined && options.expiryMarginMs === undefined;
  const revokeOnClose = options.revokeOnClose === true;
  const settings: Record<string, number | boolean> = { ...DEFAULTS, adaptive, revokeOnClose };
  for (const name in DEFAULTS) if (typeof given[name] === 'number') settings[name] = given[name];
  // Raising requestTimeoutMs or maxRetryAfterMs raises the budget with it: one attempt, or one
  // announced wait, always fits.
  settings.tokenTimeoutMs =
    options.tokenTimeoutMs ??
    Math.max(
      DEFAULTS.tokenTimeoutMs,
      settings.requestTimeoutMs as number,
      settings.maxRetryAfterMs as number,
    );
  const changed = Object.keys(settings).some(
    (name) => settings[name] !== DEFAULT_SETTINGS[name as keyof Settings],
  );
  return changed ? (settings as Settings) : DEFAULT_SETTINGS;
}
