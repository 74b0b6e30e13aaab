// The contract of a rate gate shared beyond one process (e.g. @authwire/redis's fleet gate).
import type { RateLimit } from '../types.ts';

/** One request for a token-request slot under a declared rate limit. */
export interface RateGateRequest {
  /**
   * The longest this caller may be scheduled ahead: a slot further away is not reserved and the
   * answer is `{ admitted: false }`. A background refresh passes 0 (it never reserves a future slot).
   */
  readonly maxWaitMs: number;
  /**
   * `waiting`: callers are waiting for this token. `background`: a refresh-ahead of a token that
   * is still valid; it is admitted only while the budget keeps some headroom for waiting callers.
   */
  readonly priority: 'waiting' | 'background';
}

export type RateGateAnswer =
  /** A slot is reserved for this caller `waitMs` from now (0: send now); sleep, then send. */
  | { readonly admitted: true; readonly waitMs: number }
  /** Nothing reserved: the earliest slot is `retryAfterMs` away (more than `maxWaitMs`). */
  | { readonly admitted: false; readonly retryAfterMs: number };

/**
 * Enforces `RateLimit`s: one `take` per token request, never per API request.
 *
 * @example
 * ```ts
 * const store: TokenStore = { ...base, rateGate: { take: (limit, request) => fleet.take(limit, request) } };
 * ```
 */
export interface RateGate {
  take(limit: RateLimit, request: RateGateRequest): Promise<RateGateAnswer>;
  /**
   * While `take` fails (the shared service is down), each process falls back to its own bucket
   * with this share of the limit (0 < share ≤ 1; default 1): 1 / the number of processes keeps a
   * degraded fleet inside the limit.
   */
  readonly degradedShare?: number;
  /**
   * Optional: the "down until" of token endpoints shared by every process on this gate, so a
   * fleet retries an endpoint that fails (5xx, no answer) about as often as one process would.
   * Without it each process keeps its own; when it throws, the process falls back to its own.
   */
  readonly outage?: OutageGate;
}

/**
 * The back-off of an endpoint that fails: `baseMs` doubling with each failure in a row, at most `maxMs`.
 *
 * @example
 * ```ts
 * const backoff: OutageBackoff = { baseMs: 250, maxMs: 4_000, random: Math.random() };
 * ```
 */
export interface OutageBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
  /** In [0, 1): "equal jitter", the back-off is between half and all of its ceiling. */
  readonly random: number;
}

/**
 * The shared back-off of token endpoints that fail, keyed by endpoint (a declared limit's key, or
 * a provider's cache key). Only token requests call it, never a cached-token request.
 *
 * @example
 * ```ts
 * const waitMs = await gate.outage.failed(endpointKey, { baseMs: 250, maxMs: 4_000, random: 0.5 });
 * ```
 */
export interface OutageGate {
  /**
   * An attempt failed (5xx, timeout, no answer): the endpoint is down for the next back-off of its
   * streak of failures. A mark still running is kept, not doubled (processes that failed together
   * count once). Resolves to the ms until the endpoint may be tried again.
   */
  failed(endpoint: string, backoff: OutageBackoff): Promise<number>;
  /** The ms until the endpoint may be tried again; 0 when it is not marked down. */
  downFor(endpoint: string): Promise<number>;
  /** A token came back: the streak of failures ends. */
  recovered(endpoint: string): Promise<void>;
}
