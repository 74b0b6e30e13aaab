// The events a manager emits: one per token-request attempt outcome, 401 heals, rate limits, store errors, lock waits.
import type { FetchReason } from '../types.ts';

/** Why a 401 reached the caller instead of being healed. */
export type SurfacedReason = 'retried' | 'not_replayable' | 'foreign_origin' | 'no_token';

/** Where a rate-limit wait comes from: our own bucket, the server's 429, or a fleet-wide gate. */
export type RateLimitSource = 'bucket' | 'server' | 'fleet';

/** What every token-request event carries (and an instrumentation wrapper learns of an attempt). */
export interface AttemptFields {
  readonly label: string;
  readonly reason: FetchReason;
  /** 1 for the first try of a fetch, 2 for its first retry, ... */
  readonly attempt: number;
  /** True for a refresh-ahead nobody is waiting for. */
  readonly background: boolean;
}

/**
 * Observability events, emitted synchronously. They never carry a token, a secret or an
 * application key; `label` names the provider and its endpoint (host and path). Every token
 * request ends in exactly one `token_acquired` or `token_request_failed`.
 *
 * @example
 * createTokenManager(provider, { origins, onEvent: (event) => event.type === 'token_request_failed' && alert(event.code) });
 */
export type TokenEvent =
  | ({ readonly type: 'token_request' } & AttemptFields)
  | ({
      readonly type: 'token_acquired';
      readonly durationMs: number;
      /** Epoch ms. */
      readonly expiresAt: number;
      readonly expiresInMs: number;
    } & AttemptFields)
  | ({
      readonly type: 'token_request_failed';
      readonly durationMs: number;
      readonly error: Error;
      /** The error's `code` (an `AuthwireErrorCode` for our errors). */
      readonly code: string;
      /** The HTTP status, when the endpoint answered. */
      readonly status?: number;
      /** Whether this fetch tries again (after `retryInMs`). */
      readonly willRetry: boolean;
      readonly retryInMs?: number;
    } & AttemptFields)
  | { readonly type: 'token_invalidated'; readonly label: string }
  | { readonly type: 'unauthorized_retry'; readonly label: string; readonly url: string }
  | {
      readonly type: 'unauthorized_surfaced';
      readonly label: string;
      readonly url: string;
      readonly why: SurfacedReason;
    }
  | {
      readonly type: 'rate_limited';
      readonly label: string;
      readonly source: RateLimitSource;
      readonly waitMs: number;
      /** False when the wait is too long and the request fails with `RateLimitedError`. */
      readonly willWait: boolean;
    }
  | {
      readonly type: 'store_error';
      readonly label: string;
      readonly operation: string;
      readonly error: Error;
    }
  | {
      readonly type: 'lock_wait';
      readonly label: string;
      readonly waitedMs: number;
      /** `token`: another process's token arrived; `fetched`: we fetched after waiting. */
      readonly outcome: 'token' | 'fetched';
    }
  | { readonly type: 'closed'; readonly label: string };

/** The `type`s of {@link TokenEvent}. */
export type TokenEventType = TokenEvent['type'];
