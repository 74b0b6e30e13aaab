// The token manager, composed: key entry (cache, single-flight), store access, fetcher, refresh policy, events.

import { elapsed, systemClock } from '../clock.ts';
import { TokenFetcher } from '../endpoint/token-fetcher.ts';
import { ClosedError } from '../errors/errors.ts';
import { asError, cleanLabel } from '../errors/redact.ts';
import { debugPrinter, Emitter } from '../observe/events.ts';
import { checkManagerOptions, checkOrigins, checkProvider } from '../options/manager-options.ts';
import {
  CALL_GAP_HORIZON_MS,
  CLOSE_BOUND_MS,
  type Settings,
  STORE_TIMEOUT_MS,
  settingsFrom,
} from '../options/settings.ts';
import { fetchReason, hardExpiry, refreshAt } from '../refresh/refresh-policy.ts';
import { allowedOrigins, endpointLabel, isAllowedOrigin } from '../request/origins.ts';
import { StoreAccess } from '../store/store-access.ts';
import { TokenLoader } from '../store/token-loader.ts';
import type {
  Authorization,
  Clock,
  FetchReason,
  Token,
  TokenEvent,
  TokenProvider,
  TokenRequestWrapper,
  TokenStore,
} from '../types.ts';
import type { KeyEntry } from './key-entry.ts';
import { releaseEntry, retainEntry, sharedMemoryStore } from './key-registry.ts';
import type {
  AuthorizeOptions,
  GetTokenOptions,
  ReauthorizeOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager-types.ts';
import { asAbortError, deadline, waitFor, within } from './waiting.ts';

/**
 * Creates a token manager for `provider`: it caches the token, shares one fetch among concurrent
 * callers, refreshes ahead of expiry, and hands out headers only for `origins`.
 *
 * @example
 * ```ts
 * const auth = createTokenManager(
 *   clientCredentials({ tokenUrl: 'https://id.example.com/token', clientId, clientSecret }),
 *   { origins: ['https://api.example.com'] },
 * );
 * const authorization = await auth.authorize('https://api.example.com/orders');
 * ```
 */
export function createTokenManager(
  provider: TokenProvider,
  options: TokenManagerOptions = {},
): TokenManager {
  return new Manager(provider, options);
}

/** Emits `event` on a manager createTokenManager made (the request seam's `unauthorized_surfaced`); others have no events to emit. */
export function emitOn(manager: TokenManager, event: TokenEvent): void {
  Manager.emit(manager, event);
}

/**
 * Runs `wrap` around each token-request attempt of `manager` (e.g. a tracing span made the active
 * context while the provider sends its requests). Returns a function that removes it. A manager
 * not made by createTokenManager has no attempts to observe.
 *
 * @example
 * ```ts
 * const stop = observeTokenRequests(auth, (info, run) => tracer.startActiveSpan('token', () => run()));
 * ```
 */
export function observeTokenRequests(manager: TokenManager, wrap: TokenRequestWrapper): () => void {
  return Manager.wrap(manager, wrap);
}

/** The cached token with its deadlines and headers, worked out once per token. */
interface Hot {
  readonly token: Token;
  readonly jitter: number;
  readonly refreshAt: number;
  readonly expiresAt: number;
  readonly authorization: Authorization;
}

class Manager implements TokenManager {
  readonly key: string;
  readonly label: string;
  readonly origins: readonly string[];
  readonly #provider: TokenProvider;
  readonly #revokeOnClose: boolean;
  readonly #clock: Clock;
  readonly #monotonic: () => number;
  readonly #settings: Settings;
  readonly #store: TokenStore;
  readonly #entry: KeyEntry;
  readonly #fetch: typeof fetch | undefined;
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
    this.#revokeOnClose = options.revokeOnClose === true;
    this.#clock = options.clock ?? systemClock;
    this.#monotonic = elapsed(this.#clock);
    this.#settings = settingsFrom(provider, options);
    this.#store = options.store ?? sharedMemoryStore;
    this.#fetch = options.fetch;
    // The debug printer is on with `debug` or AUTHWIRE_DEBUG=1; without a listener no emitter is made.
    const printer = debugPrinter(options.debug);
    if (options.onEvent || printer) this.#events = new Emitter(options.onEvent, printer);
    this.#entry = retainEntry(this.#store, this.key);
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
    const onStoreError = (operation: string, error: unknown): void =>
      this.#emit({ type: 'store_error', label: this.label, operation, error: asError(error) });
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
    return this.#entry.share(() =>
      this.#parts().loader.load(reason, current, rejected, background),
    );
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
    if (hot && !this.#provider.requestHeaders) return Promise.resolve(hot.authorization);
    if (hot) return Promise.resolve(this.#authorization(hot.token, url, options.method));
    return this.#fetchForCaller(options, false).then((token) =>
      this.#authorization(token, url, options.method),
    );
  }

  async reauthorize(
    url: string | URL,
    rejected: Token,
    options: ReauthorizeOptions = {},
  ): Promise<Authorization | undefined> {
    if (!this.#allows(url)) return undefined;
    this.#assertUsable(undefined);
    // The provider heals it without a new token (a DPoP nonce for the next proof).
    if (options.challenge && this.#provider.challenged?.(rejected, options.challenge) === true) {
      return this.#authorization(rejected, url, options.method);
    }
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
    return this.#authorization(token, url, options.method);
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

  /** For emitOn: a manager createTokenManager made emits; another has nothing to emit on. */
  static emit(manager: TokenManager, event: TokenEvent): void {
    if (#entry in manager) manager.#emit(event);
  }

  static wrap(manager: TokenManager, wrapper: TokenRequestWrapper): () => void {
    if (!(#entry in manager)) return () => {};
    manager.#wrappers ??= new Set();
    const wrappers = manager.#wrappers;
    wrappers.add(wrapper);
    return () => wrappers.delete(wrapper);
  }

  #allows(url: string | URL): boolean {
    return isAllowedOrigin(this.origins, url);
  }

  #assertUsable(signal: AbortSignal | undefined): void {
    if (this.#closed) throw new ClosedError();
    if (signal?.aborted) throw asAbortError(signal.reason);
  }

  /** The headers for `token`: one frozen object per token, or per request when the provider adds request headers. */
  #authorization(token: Token, url?: string | URL, method?: string): Authorization {
    const authorization = this.#entry.authorizationFor(token, this.#provider);
    const perRequest = this.#provider.requestHeaders;
    if (!perRequest || url === undefined) return authorization;
    const extra = perRequest.call(this.#provider, token, {
      method: method ?? 'GET',
      url: String(url),
    });
    return { token, headers: { ...authorization.headers, ...extra } };
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
