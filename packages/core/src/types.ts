// The contracts between the token manager, providers, stores and adapters.

/**
 * An access token as the manager caches and hands it out.
 *
 * @example
 * const token: Token = { accessToken, tokenType: 'Bearer', issuedAt: now, expiresAt: now + 3_600_000 };
 */
export interface Token {
  readonly accessToken: string;
  /** Usually `Bearer`; Oracle answers `bearer`, sent as given. */
  readonly tokenType: string;
  /** Epoch ms at which the token stops being valid, measured from when the request was sent. */
  readonly expiresAt: number;
  /** Epoch ms at which the token request was sent. */
  readonly issuedAt: number;
  readonly scope?: string;
}

/**
 * What a provider reads a token endpoint's answer into before the manager validates it.
 *
 * @example
 * context.request({ url: tokenUrl, headers: { ApplicationId: id }, body: form, parseError });
 */
export interface TokenRequest {
  /** Absolute token endpoint URL; must be HTTPS or loopback. */
  readonly url: string;
  readonly method?: 'POST' | 'GET';
  readonly headers?: Readonly<Record<string, string>>;
  /** Form-encoded body (`application/x-www-form-urlencoded`). */
  readonly body?: URLSearchParams | string;
  /**
   * Reads a provider-specific error body (e.g. Oracle's `{ message, status, errorCode }`)
   * into OAuth-style fields. The default understands RFC 6749 `{ error, error_description }`.
   */
  readonly parseError?: (body: unknown) => ParsedError | undefined;
  /**
   * `token_type`s this request accepts, case-insensitively (default `['bearer']`). RFC 6749 §7.1:
   * a client must not use a token whose type it does not understand; anything else is an
   * `InvalidTokenResponseError`. A provider whose endpoint issues another scheme opts in here.
   */
  readonly tokenTypes?: readonly string[];
  /**
   * Sees the headers of the endpoint's answer, whatever its status, before it becomes a token or
   * an error (a `DPoP-Nonce` to use from then on).
   */
  readonly readHeaders?: (headers: Headers) => void;
}

export interface ParsedError {
  readonly error?: string;
  readonly errorDescription?: string;
}

/** Why the manager asks a provider for a token. */
export type FetchReason = 'initial' | 'refresh' | 'unauthorized' | 'forced';

/**
 * Handed to a provider for each token fetch.
 *
 * @example
 * fetchToken: (context) => context.request({ url: tokenUrl, body: new URLSearchParams(form) }),
 */
export interface FetchContext {
  readonly reason: FetchReason;
  /** The token being replaced, when there is one (a refresh-ahead, or a token a server rejected). */
  readonly current?: Token;
  /** Aborted when the manager closes or the request times out. */
  readonly signal: AbortSignal;
  /**
   * Sends one token request and turns the answer into a validated `Token`, or throws a typed
   * error (`TokenEndpointError`, `RateLimitedError`, `InvalidTokenResponseError`, ...). The expiry
   * comes from `expires_in`, else the JWT `exp` claim, else the provider's default lifetime.
   */
  request(request: TokenRequest): Promise<Token>;
  /**
   * Sends a request that does not answer with a token (e.g. a logout), with the same URL checks
   * and error mapping; resolves to the status and parsed JSON body (undefined when not JSON).
   */
  send(request: TokenRequest): Promise<{ readonly status: number; readonly body: unknown }>;
  /** The manager's clock (epoch ms): for claims a provider signs (`iat`, `exp`). */
  readonly now?: () => number;
  /**
   * A small value this provider keeps beside its token in the manager's store, shared by every
   * process on a shared store and outliving the token (e.g. the current refresh token). Absent
   * only where a caller builds a context by hand.
   */
  readonly state?: ProviderState;
}

/**
 * Describes a published token-endpoint rate limit so the manager never provokes a 429.
 *
 * @example
 * rateLimit: { requests: 10, intervalMs: 60_000, key: 'https://id.acme.com' },
 */
export interface RateLimit {
  /** Requests allowed per `intervalMs` in steady state. */
  readonly requests: number;
  readonly intervalMs: number;
  /**
   * Requests allowed at once: the bucket's capacity (default `requests`). Where a provider
   * publishes "N per interval, burst M more", declaring `burst: M` stays on the safe side.
   */
  readonly burst?: number;
  /** Requests sharing this key share one bucket (e.g. the token endpoint's origin: limits are per IP). */
  readonly key: string;
}

/**
 * A source of tokens. Providers are small: the manager owns caching, concurrency, back-off
 * and validation; a provider only knows how to ask its endpoint.
 *
 * @example
 * const provider: TokenProvider = {
 *   key: 'acme|client-1',
 *   origins: ['https://api.acme.com'],
 *   fetchToken: (context) => context.request({ url: 'https://id.acme.com/token', body }),
 * };
 */
export interface TokenProvider {
  /** Provider identity for the cache key (token URL, client id, scope, ...); never a secret. */
  readonly key: string;
  /**
   * A readable name for messages, events and metrics: provider name + endpoint host and path,
   * e.g. `norce acme.api-se.stage.norce.tech/identity/1.0/connect/token`. Never a secret, never
   * a query string. Default: derived from `key`'s first part.
   */
  readonly label?: string;
  /** Origins (scheme://host[:port]) the tokens may be sent to. */
  readonly origins?: readonly string[];
  /** Values that must never appear in an error, event or log (client secret, application key). */
  readonly secrets?: readonly string[];
  /** Lifetime when the answer carries neither `expires_in` nor a JWT `exp`, in ms. */
  readonly defaultLifetimeMs?: number;
  readonly rateLimit?: RateLimit;
  /**
   * The token endpoint invalidates the token a refresh replaces (Oracle's `/refresh` may). The
   * manager then stops handing out the old token once the refresh is sent, and holds new callers
   * for that round trip, so only requests already on the wire can meet a 401.
   */
  readonly refreshRevokesPrevious?: boolean;
  /**
   * Token types this provider's tokens may have, case-insensitive (RFC 6749 §7.1: a client must
   * not use a token type it does not understand). Checked on the Tokens `fetchToken` returns and
   * on store entries. Default `['bearer']`.
   */
  readonly tokenTypes?: readonly string[];
  /**
   * What to check when the token endpoint's host does not resolve, added to the error message:
   * e.g. Norce's `check clientName 'acme', region 'se' and environment 'stage'`. Never a secret.
   */
  readonly hostNotFoundHint?: string;
  fetchToken(context: FetchContext): Promise<Token>;
  /** Extra headers for API requests, besides `Authorization` (e.g. Norce's `ApplicationId`). */
  headers?(token: Token): Readonly<Record<string, string>>;
  /**
   * The header that carries the access token as is, instead of `Authorization: <type> <token>`
   * (Shopify's `X-Shopify-Access-Token`). Default `Authorization`.
   */
  readonly tokenHeader?: string;
  /**
   * Headers computed per request from its method and URL and the token (a DPoP proof, RFC 9449),
   * set besides the others. Called for every request, so keep it cheap; it may be async (WebCrypto
   * signs asynchronously).
   */
  requestHeaders?(
    token: Token,
    request: RequestTarget,
  ): Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>;
  /**
   * A 401 answered a request that carried `token`. Return true when the provider heals it
   * without a new token (a DPoP server nonce for the next proof): the request is then sent once
   * more with the same token and fresh `requestHeaders`. Default: a new token is fetched.
   */
  challenged?(token: Token, challenge: Challenge): boolean;
  /**
   * Every response from one of the origins, as the request seam saw it (a `DPoP-Nonce` a server
   * hands out, on a success too, is used from the next request on). Keep it cheap.
   */
  responded?(response: Challenge): void;
  /** Called by `close()` when the provider wants to end the session (e.g. Oracle's `/logout`). */
  revoke?(token: Token, context: Omit<FetchContext, 'reason' | 'current'>): Promise<void>;
}

/** A lock held on a cache key across processes. */
export interface StoreLock {
  release(): Promise<void>;
}

/**
 * Where tokens live between requests. All methods are async so a network store (Redis) fits.
 * A store may throw: the manager then falls back to its in-process cache and emits `store_error`.
 *
 * @example
 * const auth = createTokenManager(provider, { origins, store: redisStore({ client }) });
 */
export interface TokenStore {
  get(key: string): Promise<Token | undefined>;
  /** Stores a token; `ttlMs` is how long it stays useful. */
  set(key: string, token: Token, ttlMs: number): Promise<void>;
  /** Deletes the entry only if it still holds `token` (same access token). Returns whether it did. */
  delete(key: string, token: Token): Promise<boolean>;
  /**
   * Optional cross-process lock. Resolves to a lock when acquired, `undefined` when another
   * process holds it. A lock expires by itself after `ttlMs`, so a crashed holder cannot block.
   */
  lock?(key: string, ttlMs: number): Promise<StoreLock | undefined>;
  /**
   * Optional rate gate shared beyond this process (e.g. `@authwire/redis` enforces a provider's
   * declared `rateLimit` fleet-wide). Without one the manager uses a per-process bucket; when the
   * gate throws, it falls back to that bucket and emits `store_error`.
   */
  readonly rateGate?: RateGate;
}

// The contracts that live beside their implementations.
import type { AttemptFields } from './observe/event-types.ts';
import type { RateGate } from './rate-limit/rate-gate-types.ts';
import type { Challenge, RequestTarget } from './request/request-target.ts';
import type { ProviderState } from './store/provider-state.ts';

export type { Clock } from './clock.ts';
export type {
  AttemptFields,
  RateLimitSource,
  SurfacedReason,
  TokenEvent,
  TokenEventType,
} from './observe/event-types.ts';
export type {
  OutageBackoff,
  OutageGate,
  RateGate,
  RateGateAnswer,
  RateGateRequest,
} from './rate-limit/rate-gate-types.ts';
export type { Challenge, RequestTarget } from './request/request-target.ts';
export type { ProviderState } from './store/provider-state.ts';

/** What an instrumentation wrapper learns of one token-request attempt. */
export type TokenRequestInfo = AttemptFields;

/**
 * Runs around each token-request attempt (e.g. to open a tracing span and make it the active
 * context while the provider sends its HTTP requests). Must call `run` once and return (or await)
 * its result; whatever it throws or returns otherwise is ignored by the manager.
 *
 * @example
 * observeTokenRequests(auth, (info, run) => tracer.startActiveSpan(info.label, () => run()));
 */
export type TokenRequestWrapper = <T>(info: TokenRequestInfo, run: () => Promise<T>) => Promise<T>;

/**
 * Headers an adapter puts on a request, and the token they carry.
 *
 * @example
 * const authorization = await auth.authorize(url);
 * await fetch(url, { headers: authorization?.headers });
 */
export interface Authorization {
  readonly headers: Readonly<Record<string, string>>;
  readonly token: Token;
}
