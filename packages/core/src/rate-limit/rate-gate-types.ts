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
}
