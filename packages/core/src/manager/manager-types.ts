// The public shape of a token manager and its options.
import type {
  Authorization,
  Challenge,
  Clock,
  Token,
  TokenEvent,
  TokenProvider,
  TokenStore,
} from '../types.ts';

/**
 * Options of `createTokenManager`.
 *
 * @example
 * ```ts
 * createTokenManager(provider, { origins: ['https://api.example.com'], store: memoryStore(), debug: true });
 * ```
 */
export interface TokenManagerOptions {
  /**
   * Origins (`https://api.example.com`) the token may be sent to. Required unless the provider
   * declares its own; http is accepted for loopback only.
   */
  readonly origins?: readonly string[];
  /** Where tokens are cached. Default: a process-wide in-memory store shared by cache key. */
  readonly store?: TokenStore;
  readonly clock?: Clock;
  /** The fetch used for token requests. Default: `globalThis.fetch`, looked up per request. */
  readonly fetch?: typeof fetch;
  /** Refresh this long before expiry (capped at a fifth of the lifetime). Default 120 000 ms. */
  readonly refreshWindowMs?: number;
  /** Treat a token as expired this long before its expiry (capped at a twentieth of the lifetime). Default 30 000 ms. */
  readonly expiryMarginMs?: number;
  /** Timeout of one token request (one attempt). Default 15 000 ms. */
  readonly requestTimeoutMs?: number;
  /**
   * The budget of one token fetch, and so of a caller's wait for it: every attempt, the back-off
   * between them and any rate-limit wait. Each attempt gets at most what is left; no retry is
   * sent with less than a second left. When it runs out the fetch fails with a `TimeoutError`
   * that states the time waited and the attempts made. Default 15 000 ms, or `requestTimeoutMs`
   * / `maxRetryAfterMs` when you raise either above that. (A wait for another process's lock,
   * with a store that has one, is bounded by `lockTtlMs` instead.)
   */
  readonly tokenTimeoutMs?: number;
  /** Tries per token fetch on 5xx, network errors and short 429s. Default 3. */
  readonly maxAttempts?: number;
  /** First back-off delay; doubles per try, with jitter (half fixed, half random). Default 250 ms. */
  readonly retryBaseDelayMs?: number;
  /** Ceiling of a back-off delay. Default 10 000 ms. */
  readonly retryMaxDelayMs?: number;
  /** A 429 whose Retry-After is longer than this fails at once instead of waiting. Default 10 000 ms. */
  readonly maxRetryAfterMs?: number;
  /** How long a cross-process store lock lives; longer than a token fetch with its retries. Default 60 000 ms. */
  readonly lockTtlMs?: number;
  /** Call the provider's `revoke` (e.g. Oracle `/logout`) on `close()`. Default false. */
  readonly revokeOnClose?: boolean;
  readonly onEvent?: (event: TokenEvent) => void;
  /**
   * Prints one readable line per event: `true` to stderr, or to the function given. Default: on
   * when the environment has `AUTHWIRE_DEBUG=1`. Lines never contain a secret or a token.
   */
  readonly debug?: boolean | ((line: string) => void);
  /** The largest token response read, in decoded bytes; a bigger one fails. Default 65 536. */
  readonly maxResponseBytes?: number;
  /**
   * DPoP (RFC 9449): sender-constrained tokens, `dpop()` from `@authwire/core/dpop` (a fresh
   * non-extractable ES256 key pair for this manager, or `dpop({ keyPair })` for yours). Token
   * requests and every request to `origins` then carry a proof; server nonces are used and a
   * `use_dpop_nonce` challenge is healed by one retry without a new token. Default off (`false`).
   */
  readonly dpop?: DpopOption | false;
  /**
   * Where a platform ties work to the request that started it (Cloudflare Workers), keeps that
   * request alive until a token load it started settles: every load (a refresh-ahead, or one that
   * other requests wait on) is handed to it. Pass `waitUntil` from `cloudflare:workers`, or a
   * function that finds the current request's `ctx.waitUntil`. Without it, a load whose request
   * ended is detected and done again by the next caller that needs a token. Default: none.
   *
   * @example
   * ```ts
   * import { waitUntil } from 'cloudflare:workers';
   * const auth = createTokenManager(provider, { origins, waitUntil });
   * ```
   */
  readonly waitUntil?: (promise: Promise<unknown>) => void;
}

export interface GetTokenOptions {
  /** Cancels this caller's wait only; the shared fetch goes on for the others. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Bounds this caller's wait for a token (rejects with `TimeoutError`). Adapters pass the
   * client's own timeout here; no timer is created when the token is cached.
   */
  readonly timeoutMs?: number | undefined;
  /** Skip the cache and fetch a new token (still single-flight). */
  readonly forceRefresh?: boolean;
}

export interface AuthorizeOptions {
  readonly signal?: AbortSignal | undefined;
  /** Bounds the wait for a token, as in `getToken`. */
  readonly timeoutMs?: number | undefined;
  /** The request's method (default `GET`), for a provider's per-request headers (a DPoP proof). */
  readonly method?: string | undefined;
}

export interface ReauthorizeOptions extends AuthorizeOptions {
  /** The 401 itself: a provider may heal it without a new token (`TokenProvider.challenged`). */
  readonly challenge?: Challenge | undefined;
}

/**
 * A token manager: the cached token for one provider and credential, handed out to its origins.
 *
 * @example
 * ```ts
 * const auth = createTokenManager(provider, { origins: ['https://api.example.com'] });
 * const { headers } = (await auth.authorize('https://api.example.com/orders'))!;
 * ```
 */
export interface TokenManager {
  /** The cache key: provider identity with a fingerprint of the credential, never a secret. */
  readonly key: string;
  /** Provider and endpoint, readable (e.g. `norce acme.api-se.stage.norce.tech/identity/1.0/connect/token`). */
  readonly label: string;
  /** Origins the token is sent to. */
  readonly origins: readonly string[];
  /** A valid token: cached, shared in flight, or freshly fetched. */
  getToken(options?: GetTokenOptions): Promise<Token>;
  /** Drops the cached token, but only if it is still `token`: a newer one is kept. */
  invalidate(token: Token): Promise<void>;
  /** Headers for a request to `url`, or `undefined` when its origin must not get the token. */
  authorize(url: string | URL, options?: AuthorizeOptions): Promise<Authorization | undefined>;
  /**
   * After a 401 for a request sent with `rejected`: invalidates it and returns headers with a
   * fresh token (one token request however many callers). `undefined` when `url` is not allowed.
   */
  reauthorize(
    url: string | URL,
    rejected: Token,
    options?: ReauthorizeOptions,
  ): Promise<Authorization | undefined>;
  /**
   * Every response from one of the origins, as the request seam saw it (the provider may remember
   * a DPoP nonce from it). Optional: the seam skips a manager without it.
   */
  responded?(response: Challenge): void;
  /** Adds an event listener; returns a function that removes it. */
  subscribe(listener: (event: TokenEvent) => void): () => void;
  /** Stops background work, optionally revokes the token; later calls throw `ClosedError`. */
  close(): Promise<void>;
}

/**
 * The value of the `dpop` option: what `dpop()` from `@authwire/core/dpop` returns. It carries
 * DPoP itself, so the manager imports none of it and an application without `dpop()` bundles none.
 *
 * @example
 * ```ts
 * import { dpop } from '@authwire/core/dpop';
 *
 * const option: DpopOption = dpop();
 * createTokenManager(provider, { origins: ['https://api.example.com'], dpop: option });
 * ```
 */
export interface DpopOption {
  /**
   * Called once by each manager it is given to: `provider`, DPoP-bound (a proof on each token
   * request and API request, nonces, Bearer refused), under a key of its own; `now` is the
   * manager's clock (a proof's `iat`).
   */
  bindProvider(provider: TokenProvider, now: () => number): DpopBinding;
}

/**
 * A DPoP-bound provider and what the manager needs to know of its key.
 *
 * @example
 * ```ts
 * const { provider, storeKey, ephemeral } = dpop().bindProvider(given, Date.now);
 * ```
 */
export interface DpopBinding {
  readonly provider: TokenProvider;
  /** The shared store's key: the provider's, plus the key's RFC 7638 thumbprint. */
  readonly storeKey: Promise<string>;
  /** The key was made for this manager: its tokens are useless to anyone once it closes. */
  readonly ephemeral: boolean;
}
