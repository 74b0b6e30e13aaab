// The token manager, composed: key entry (cache, single-flight), store access, fetcher, refresh policy, events.
import { asAbortError, waitFor } from './abort.ts';
import { elapsed, systemClock } from './clock.ts';
import { deadline, within } from './deadline.ts';
import { ClosedError } from './errors.ts';
import { Emitter } from './events.ts';
import type { KeyEntry, ShareOptions } from './key-entry.ts';
import { releaseEntry, retainEntry, sharedMemoryStore } from './key-registry.ts';
import { cleanLabel } from './label.ts';
import {
  checkManagerOptions,
  checkOrigins,
  checkProvider,
  declaredRateLimit,
} from './manager-options.ts';
import type {
  AuthorizeOptions,
  GetTokenOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager-types.ts';
import { allowedOrigins, isAllowedOrigin } from './origin-set.ts';
import { asError, tokenSecrets } from './redact.ts';
import { fetchReason, hardExpiry, refreshAt } from './refresh-policy.ts';
import {
  CALL_GAP_HORIZON_MS,
  CLOSE_BOUND_MS,
  loadBoundMs,
  type Settings,
  STORE_TIMEOUT_MS,
  settingsFrom,
} from './settings.ts';
import { StoreAccess } from './store-access.ts';
import { TokenFetcher } from './token-fetcher.ts';
import { TokenLoader } from './token-loader.ts';
import type {
  Authorization,
  Clock,
  FetchReason,
  RateLimit,
  Token,
  TokenEvent,
  TokenProvider,
  TokenRequestWrapper,
  TokenStore,
} from './types.ts';
import { endpointLabel } from './url.ts';

/**
 * What the request seam (kit) reaches on a manager, keyed by symbols so it is not part of the
 * public TokenManager: prototype methods, so a manager costs no object for them.
 */
export const PEEK: unique symbol = Symbol('authwire.peek');
export const ALLOWS: unique symbol = Symbol('authwire.allows');
export const EMIT: unique symbol = Symbol('authwire.emit');
export const WRAP: unique symbol = Symbol('authwire.wrap');

export interface ManagerInternals {
  /** The cached headers when `url` is allowed and a good token is cached, else undefined. Never waits. */
  [PEEK](url: string | URL): Authorization | undefined;
  [ALLOWS](url: string | URL): boolean;
  [EMIT](event: TokenEvent): void;
  /** Adds an instrumentation wrapper around each token-request attempt; returns its remover. */
  [WRAP](wrapper: TokenRequestWrapper): () => void;
}

/**
 * Creates a token manager for `provider`.
 *
 * @example
 * const auth = createTokenManager(
 *   clientCredentials({ tokenUrl: 'https://id.example.com/token', clientId, clientSecret }),
 *   { origins: ['https://api.example.com'] },
 * );
 * const { headers } = (await auth.authorize('https://api.example.com/orders'))!;
 */
/** `manager`'s internals when createTokenManager made it, else undefined (another TokenManager). */
export function internalsOf(manager: TokenManager): ManagerInternals | undefined {
  return Manager.isOwn(manager) ? manager : undefined;
}

export function createTokenManager(
  provider: TokenProvider,
  options: TokenManagerOptions = {},
): TokenManager {
  return new Manager(provider, options);
}

/** The cached token with its deadlines and headers, worked out once per token. */
interface Hot {
  readonly token: Token;
  readonly jitter: number;
  readonly refreshAt: number;
  readonly expiresAt: number;
  readonly authorization: Authorization;
}

class Manager implements TokenManager, ManagerInternals {
  readonly key: string;
  readonly label: string;
  readonly origins: readonly string[];
  readonly #provider: TokenProvider;
  /** The provider's declared rate limit, checked and copied at construction. */
  readonly #rateLimit: RateLimit | undefined;
  readonly #revokeOnClose: boolean;
  readonly #clock: Clock;
  readonly #monotonic: () => number;
  readonly #settings: Settings;
  readonly #store: TokenStore;
  readonly #entry: KeyEntry;
  readonly #fetch: typeof fetch | undefined;
  readonly #waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  /** Created with the first listener: a manager nobody observes holds no emitter. */
  #events: Emitter | undefined;
  /** Instrumentation around token requests (kit `observeTokenRequests`); usually none. */
  #wrappers: Set<TokenRequestWrapper> | undefined;
  /** Callers waiting on a shared fetch; `close()` rejects them. */
  #waiters: Set<(error: Error) => void> | undefined;
  #hot: Hot | undefined;
  #closing: Promise<void> | undefined;

  constructor(provider: TokenProvider, options: TokenManagerOptions) {
    checkProvider(provider);
    checkManagerOptions(options);
    this.origins = allowedOrigins(checkOrigins(options.origins ?? provider.origins));
    this.key = provider.key;
    this.label = cleanLabel(provider);
    this.#provider = provider;
    this.#rateLimit = declaredRateLimit(provider);
    this.#revokeOnClose = options.revokeOnClose === true;
    this.#clock = options.clock ?? systemClock;
    this.#monotonic = elapsed(this.#clock);
    this.#settings = settingsFrom(provider, options);
    this.#store = options.store ?? sharedMemoryStore;
    this.#fetch = options.fetch;
    if (options.onEvent || options.debug)
      this.#events = new Emitter(options.onEvent, options.debug);
    this.#entry = retainEntry(this.#store, this.key);
    this.#waitUntil = options.waitUntil;
  }

  /**
   * The store access, fetcher and loader, made when a load starts (once a token lifetime) rather
   * than kept: a manager holding a good token keeps none of them (10,000 tenants per process).
   */
  #parts(): {
    readonly access: StoreAccess;
    readonly fetcher: TokenFetcher;
    readonly loader: TokenLoader;
  } {
    const events = { emit: (event: TokenEvent): void => this.#emit(event) };
    // A custom store may quote what it was given: scrubbed of the secrets and every token in play.
    const onStoreError = (operation: string, error: unknown, token?: Token): void =>
      this.#emit({
        type: 'store_error',
        label: this.label,
        operation,
        error: asError(error, [
          ...(this.#provider.secrets ?? []),
          ...tokenSecrets(token),
          ...this.#entry.knownAccessTokens(),
        ]),
      });
    const access = new StoreAccess(
      this.#store,
      this.key,
      Math.min(STORE_TIMEOUT_MS, this.#settings.requestTimeoutMs),
      this.#entry,
      onStoreError,
      this.#provider.tokenTypes,
    );
    const parts = {
      provider: this.#provider,
      rateLimit: this.#rateLimit,
      label: this.label,
      store: this.#store,
      clock: this.#clock,
      monotonic: this.#monotonic,
      fetch: this.#fetch,
      settings: this.#settings,
      entry: this.#entry,
      events,
      wrappers: this.#wrappers,
      onStoreError,
      access,
    };
    const fetcher = new TokenFetcher(parts);
    return { access, fetcher, loader: new TokenLoader(parts, fetcher) };
  }

  /** Single-flight: the load in flight for the key, or a new one every caller shares. */
  #acquire(
    reason: FetchReason,
    current: Token | undefined,
    rejected: Token | undefined,
    background: boolean,
  ): Promise<Token> {
    return this.#entry.share(
      () => this.#parts().loader.load(reason, current, rejected, background),
      this.#sharing(background),
    );
  }

  /** How this manager's callers share a load (made per load, not kept: 10,000 tenants). */
  #sharing(background: boolean): ShareOptions {
    return {
      background,
      monotonic: this.#monotonic,
      boundMs: loadBoundMs(this.#settings),
      waitUntil: this.#waitUntil,
    };
  }

  #emit(event: TokenEvent): void {
    this.#events?.emit(event);
  }

  get #closed(): boolean {
    return this.#closing !== undefined;
  }

  subscribe(listener: (event: TokenEvent) => void): () => void {
    this.#events ??= new Emitter(undefined, undefined);
    return this.#events.subscribe(listener);
  }

  async getToken(options: GetTokenOptions = {}): Promise<Token> {
    this.#assertUsable(options.signal);
    if (!options.forceRefresh) {
      const hot = this.#usable();
      if (hot) return hot.token;
    }
    return this.#fetchForCaller(options, options.forceRefresh === true);
  }

  authorize(url: string | URL, options: AuthorizeOptions = {}): Promise<Authorization | undefined> {
    if (!this.#allows(url)) return Promise.resolve(undefined);
    try {
      this.#assertUsable(options.signal);
    } catch (error) {
      return Promise.reject(error);
    }
    const hot = this.#usable();
    if (hot) return Promise.resolve(hot.authorization);
    return this.#fetchForCaller(options, false).then((token) => this.#authorization(token));
  }

  async reauthorize(
    url: string | URL,
    rejected: Token,
    options: AuthorizeOptions = {},
  ): Promise<Authorization | undefined> {
    if (!this.#allows(url)) return undefined;
    this.#assertUsable(undefined);
    this.#emit({ type: 'unauthorized_retry', label: this.label, url: endpointLabel(url) });
    await this.invalidate(rejected);
    this.#assertUsable(options.signal);
    const current = this.#entry.token;
    // Someone may already have replaced the rejected token: use theirs.
    let token =
      current &&
      current.accessToken !== rejected.accessToken &&
      this.#clock.now() < hardExpiry(current, this.#settings)
        ? current
        : await this.#wait(this.#acquire('unauthorized', undefined, rejected, false), options);
    // A load already in flight may have read the rejected token back before it was dropped.
    if (token.accessToken === rejected.accessToken) {
      token = await this.#wait(this.#acquire('unauthorized', undefined, rejected, false), options);
    }
    return this.#authorization(token);
  }

  async invalidate(token: Token): Promise<void> {
    this.#entry.reject(token);
    if (this.#entry.drop(token)) this.#emit({ type: 'token_invalidated', label: this.label });
    await this.#parts().access.delete(token);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    for (const reject of [...(this.#waiters ?? [])]) reject(new ClosedError());
    const entry = this.#entry;
    // The token to revoke, dropped before the release so the shared store's closed keys don't keep it.
    const revoking = this.#revokeOnClose && this.#provider.revoke ? entry.token : undefined;
    if (revoking) entry.drop(revoking);
    if (releaseEntry(this.#store, this.key, entry, new ClosedError())) {
      // Let the aborted fetch unwind so no timer outlives close(); bounded all the same.
      await within(CLOSE_BOUND_MS, entry.inflight);
    }
    if (revoking) {
      const { access, fetcher } = this.#parts();
      await within(
        CLOSE_BOUND_MS,
        fetcher.revoke(revoking).then(() => access.delete(revoking)),
      );
    }
    this.#emit({ type: 'closed', label: this.label });
    this.#events = undefined;
  }

  // For the kit's request seam: the fast path, the origin check, events and instrumentation.
  [PEEK](url: string | URL): Authorization | undefined {
    return this.#closed || !this.#allows(url) ? undefined : this.#usable()?.authorization;
  }

  [ALLOWS](url: string | URL): boolean {
    return this.#allows(url);
  }

  [EMIT](event: TokenEvent): void {
    this.#emit(event);
  }

  [WRAP](wrapper: TokenRequestWrapper): () => void {
    this.#wrappers ??= new Set();
    const wrappers = this.#wrappers;
    wrappers.add(wrapper);
    return () => wrappers.delete(wrapper);
  }

  /** Whether `manager` was made by createTokenManager (and so has the seam's internals). */
  static isOwn(manager: unknown): manager is Manager {
    return typeof manager === 'object' && manager !== null && #entry in manager;
  }

  #allows(url: string | URL): boolean {
    return isAllowedOrigin(this.origins, url);
  }

  #assertUsable(signal: AbortSignal | undefined): void {
    if (this.#closed) throw new ClosedError();
    if (signal?.aborted) throw asAbortError(signal.reason);
  }

  #authorization(token: Token): Authorization {
    return this.#entry.authorizationFor(token, this.#provider);
  }

  /**
   * The hot path, synchronous: the cached token while it is good, with what callers need of it
   * worked out once per token. Inside the refresh window it starts the background refresh; for a
   * provider whose refresh revokes the old token, callers then wait for the new one instead.
   */
  #usable(): Hot | undefined {
    const entry = this.#entry;
    const token = entry.token;
    const now = this.#clock.now();
    // Call gaps feed the adaptive window; a lifetime is how far back they count.
    entry.observeCall(now, token ? token.expiresAt - token.issuedAt : CALL_GAP_HORIZON_MS);
    if (!token) return undefined;
    let hot = this.#hot;
    if (hot?.token !== token || hot.jitter !== entry.jitter) {
      hot = {
        token,
        jitter: entry.jitter,
        refreshAt: refreshAt(token, this.#settings, entry.jitter, entry.observed),
        expiresAt: hardExpiry(token, this.#settings),
        authorization: this.#authorization(token),
      };
      this.#hot = hot;
    }
    if (now >= hot.expiresAt) return undefined;
    if (now >= hot.refreshAt) {
      this.#refreshInBackground(token);
      if (this.#provider.refreshRevokesPrevious && entry.inflight) return undefined;
    }
    return hot;
  }

  #refreshInBackground(current: Token): void {
    const entry = this.#entry;
    if (entry.inflight || !entry.background.isDue(this.#monotonic())) return;
    // A revoking refresh has callers waiting for it: it is not background work.
    const background = !this.#provider.refreshRevokesPrevious;
    // A new token resets the back-off (KeyEntry.adopt); after a failure the valid token keeps
    // being served, and a later call tries again once the back-off has passed.
    this.#acquire('refresh', current, undefined, background).catch((error: unknown) =>
      entry.background.failed(this.#monotonic(), error, this.#clock.random()),
    );
  }

  async #fetchForCaller(options: GetTokenOptions, forced: boolean): Promise<Token> {
    const token = this.#entry.token;
    const now = this.#clock.now();
    const reason: FetchReason = fetchReason(token, now, forced);
    const current = reason === 'refresh' ? token : undefined;
    try {
      return await this.#wait(this.#acquire(reason, current, undefined, false), options);
    } catch (error) {
      // A failed refresh falls back to the old token while it lives (a revoking refresh that
      // failed did not revoke it).
      const old = this.#entry.token ?? current;
      if (
        !forced &&
        old &&
        old === current &&
        !this.#closed &&
        !this.#entry.isRejected(old) &&
        this.#clock.now() < hardExpiry(old, this.#settings)
      ) {
        return old;
      }
      throw error;
    }
  }

  /** The caller's view of a shared fetch: its own signal, timeout, and this manager's close. */
  async #wait(shared: Promise<Token>, options: AuthorizeOptions): Promise<Token> {
    const { signal, timeoutMs } = options;
    this.#waiters ??= new Set();
    const timeout =
      timeoutMs === undefined || timeoutMs <= 0
        ? undefined
        : deadline(this.#clock, timeoutMs, 'Waiting for a token');
    try {
      return await waitFor(shared, [signal, timeout?.signal], this.#waiters);
    } finally {
      timeout?.dispose();
      // An idle manager holds no set (10,000 tenants: 10,000 empty sets otherwise).
      if (this.#waiters?.size === 0) this.#waiters = undefined;
    }
  }
}
