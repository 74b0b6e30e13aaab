// The inspection and control object both mocks share: issued tokens, counters, API record, failures.
import {
  type ApiFailure,
  type FailurePlan,
  FailureQueue,
  planFailure,
  type TokenEndpointFailure,
} from './failures.ts';
import { newTokenId } from './jwt.ts';

/** Why a token stopped being valid before its expiry. */
export type RevocationReason = 'revoke-all' | 'refresh' | 'logout';

/** A token the mock issued. Times are milliseconds on the mock's clock. */
export interface IssuedToken {
  /** Position in issue order, from 0; stable across `revokeAll()`, restarts on `reset()`. */
  readonly index: number;
  /** The token's `jti` claim (also set for opaque tokens, server-side only). */
  readonly jti: string;
  readonly accessToken: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** `null` while not revoked. */
  readonly revokedBy: RevocationReason | null;
}

/** How the mock judged the bearer token of a request. */
export type TokenCheck = 'valid' | 'expired' | 'revoked' | 'unknown' | 'missing';

/** One API call as the mock saw it. */
export interface ApiRequestRecord {
  readonly method: string;
  /** URL path without the query. */
  readonly path: string;
  /** Index of the issued token it carried (see {@link IssuedToken.index}), `null` if none matched. */
  readonly tokenIndex: number | null;
  readonly token: TokenCheck;
  /** Status answered (0 for an injected network error). */
  readonly status: number;
  /** When it arrived, on the mock's clock (ms). */
  readonly at: number;
}

/** Counters both mocks keep. 429s include injected ones. */
export interface MockCounters {
  /** Every request to a token-issuing endpoint (Norce token; Oracle login + refresh). */
  readonly tokenEndpointCalls: number;
  readonly tokensIssued: number;
  readonly tokenEndpoint429s: number;
  readonly apiCalls: number;
  readonly api401s: number;
  readonly api429s: number;
}

/**
 * Inspect and steer a mock from a test.
 *
 * @example
 * ```ts
 * const { handlers, control } = norceMock();
 * control.failNext(1, { status: 503 });
 * // … run the client …
 * expect(control.counters.tokenEndpointCalls).toBe(2);
 * ```
 */
export interface MockControl<TToken extends IssuedToken, TCounters extends MockCounters> {
  /** A snapshot of the counters. */
  readonly counters: TCounters;
  /** Snapshots of every token issued since creation or the last `reset()`, in issue order. */
  readonly issuedTokens: readonly TToken[];
  /** Every API call (including the echo endpoint), in arrival order. */
  readonly apiRequests: readonly ApiRequestRecord[];
  /** The next `count` token-endpoint calls fail with `failure` (consumed whatever the request). */
  failNext(count: number, failure: TokenEndpointFailure): void;
  /** The next `count` API calls fail with `failure`, before any token check. */
  failNextApi(count: number, failure: ApiFailure): void;
  /** Every token issued so far answers 401 on the API from now on. */
  revokeAll(): void;
  /**
   * Forgets tokens, counters, records, pending failures and rate-limit state. A token a client
   * still caches is then unknown here and answered with a 401: give each test its own token
   * cache (`store: memoryStore()`), or use {@link MockControl.resetCounters} instead.
   */
  reset(): void;
  /**
   * Zeroes the counters and forgets the API record, but keeps issued tokens valid (and pending
   * failures and rate-limit state as they are): for apps whose module-level token manager keeps
   * its cached token from one test to the next.
   */
  resetCounters(): void;
}

interface MutableToken {
  revokedBy: RevocationReason | null;
}

/** Timing shared by a mock's parts. */
export interface MockClock {
  readonly now: () => number;
  readonly tokenLifetimeSeconds: number;
}

/** The shared implementation; platform mocks add their handlers around it. */
export class MockController<TToken extends IssuedToken, TCounters extends MockCounters>
  implements MockControl<TToken, TCounters>
{
  readonly clock: MockClock;
  #initialCounters: () => TCounters;
  #counters: TCounters;
  #tokens: (TToken & MutableToken)[] = [];
  #byAccessToken = new Map<string, TToken & MutableToken>();
  #apiRequests: ApiRequestRecord[] = [];
  #tokenFailures = new FailureQueue<TokenEndpointFailure>();
  #apiFailures = new FailureQueue<ApiFailure>();
  #onReset: () => void;

  constructor(clock: MockClock, initialCounters: () => TCounters, onReset: () => void = () => {}) {
    this.clock = clock;
    this.#initialCounters = initialCounters;
    this.#counters = initialCounters();
    this.#onReset = onReset;
  }

  get counters(): TCounters {
    return { ...this.#counters };
  }

  get issuedTokens(): readonly TToken[] {
    return this.#tokens.map((token) => ({ ...token }));
  }

  get apiRequests(): readonly ApiRequestRecord[] {
    return [...this.#apiRequests];
  }

  failNext(count: number, failure: TokenEndpointFailure): void {
    this.#tokenFailures.push(count, failure);
  }

  failNextApi(count: number, failure: ApiFailure): void {
    this.#apiFailures.push(count, failure);
  }

  revokeAll(): void {
    for (const token of this.#tokens) token.revokedBy ??= 'revoke-all';
  }

  resetCounters(): void {
    this.#counters = this.#initialCounters();
    this.#apiRequests = [];
  }

  reset(): void {
    this.#counters = this.#initialCounters();
    this.#tokens = [];
    this.#byAccessToken.clear();
    this.#apiRequests = [];
    this.#tokenFailures.clear();
    this.#apiFailures.clear();
    this.#onReset();
  }

  count(name: keyof TCounters): void {
    const counters = this.#counters as Record<keyof TCounters, number>;
    counters[name] += 1;
  }

  /**
   * Opens one token-endpoint call: counts it (also under `kind`) and takes the next injected
   * failure, counting an injected 429.
   */
  async startTokenCall(kind: keyof TCounters): Promise<FailurePlan> {
    this.count('tokenEndpointCalls');
    this.count(kind);
    const plan = await planFailure(this.#tokenFailures.take());
    if (plan.kind === 'respond' && plan.response.status === 429) {
      this.count('tokenEndpoint429s');
    }
    return plan;
  }

  takeApiFailure(): Promise<FailurePlan> {
    return planFailure(this.#apiFailures.take());
  }

  /** Registers a new token; `build` gets its id and times and returns the full record. */
  issue(
    build: (base: {
      index: number;
      jti: string;
      issuedAt: number;
      expiresAt: number;
    }) => Omit<TToken, 'revokedBy'>,
  ): TToken {
    const issuedAt = this.clock.now();
    const token = build({
      index: this.#tokens.length,
      jti: newTokenId(),
      issuedAt,
      expiresAt: issuedAt + this.clock.tokenLifetimeSeconds * 1000,
    });
    const stored = { ...token, revokedBy: null } as TToken & MutableToken;
    this.#tokens.push(stored);
    this.#byAccessToken.set(stored.accessToken, stored);
    this.count('tokensIssued');
    return { ...stored };
  }

  /** Judges an `Authorization` header. Scheme match is case-insensitive (RFC 6750 §2.1). */
  check(authorization: string | null): { state: TokenCheck; token: TToken | undefined } {
    const match = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return this.checkToken(match?.[1]);
  }

  /** Judges a bare access token (a platform header such as `X-Shopify-Access-Token`). */
  checkToken(accessToken: string | null | undefined): {
    state: TokenCheck;
    token: TToken | undefined;
  } {
    if (!accessToken) return { state: 'missing', token: undefined };
    const token = this.#byAccessToken.get(accessToken);
    if (token === undefined) return { state: 'unknown', token: undefined };
    if (token.revokedBy !== null) return { state: 'revoked', token };
    // A token is dead at its `exp` instant, as JWT validators treat it (RFC 7519 §4.1.4).
    if (this.clock.now() >= token.expiresAt) return { state: 'expired', token };
    return { state: 'valid', token };
  }

  revoke(accessToken: string, reason: RevocationReason): void {
    const token = this.#byAccessToken.get(accessToken);
    if (token) token.revokedBy ??= reason;
  }

  recordApi(request: Request, tokenIndex: number | null, token: TokenCheck, status: number): void {
    this.#apiRequests.push({
      method: request.method,
      path: new URL(request.url).pathname,
      tokenIndex,
      token,
      status,
      at: this.clock.now(),
    });
    if (status === 401) this.count('api401s');
    if (status === 429) this.count('api429s');
  }
}
