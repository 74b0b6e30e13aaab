// The token manager, composed: key entry (cache, single-flight), loader (store, lock, fetch), refresh policy, events.

import { elapsed, systemClock } from '../clock.ts';
import { ClosedError } from '../errors/errors.ts';
import { cleanLabel } from '../errors/redact.ts';
import { debugPrinter, Emitter } from '../observe/events.ts';
import {
  checkManagerOptions,
  checkOrigins,
  checkProvider,
  declaredRateLimit,
} from '../options/manager-options.ts';
import {
  CALL_GAP_HORIZON_MS,
  CLOSE_BOUND_MS,
  loadBoundMs,
  type Settings,
  settingsFrom,
} from '../options/settings.ts';
import {
  fetchReason,
  type Hot,
  hotFor,
  refreshAhead,
  replacementOf,
  servesAfterFailedRefresh,
  servesCached,
} from '../refresh/refresh-policy.ts';
import { allowedOrigins, endpointLabel, isAllowedOrigin } from '../request/origins.ts';
import { loadParts, storeAccess } from '../store/token-loader.ts';
import type {
  Authorization,
  Challenge,
  Clock,
  FetchReason,
  RateLimit,
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
  DpopBinding,
  GetTokenOptions,
  ReauthorizeOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager-types.ts';
import { asAbortError, callerWait, within } from './waiting.ts';

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

// Core-internal access to a manager createTokenManager made (a foreign one has no events or attempts).
export const emitOn = (manager: TokenManager, event: TokenEvent): void =>
  Manager.emit(manager, event);
export const cachedOn = (
  manager: TokenManager,
  url: string | URL,
  method?: string,
): Authorization | undefined => Manager.cached(manager, url, method);
export const wrapOn = (manager: TokenManager, wrap: TokenRequestWrapper): (() => void) =>
  Manager.wrap(manager, wrap);

class Manager implements TokenManager {
  readonly key: string;
  readonly label: string;
  readonly origins: readonly string[];
  /** Present only for a provider that reads every response (DPoP nonces): others cost nothing. */
  readonly responded?: (response: Challenge) => void;
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
  /** DPoP (RFC 9449): the key, nonces, and a store key known only later (the key's thumbprint). */
  readonly #dpop: DpopBinding | undefined;
  readonly #waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  /** Created with the first listener: a manager nobody observes holds no emitter. */
  #events: Emitter | undefined;
  /** Instrumentation around token requests (kit `observeTokenRequests`); usually none. */
  #wrappers: Set<TokenRequestWrapper> | undefined;
  /** Callers waiting on a shared fetch; `close()` rejects them. */
  #waiters: Set<(error: Error) => void> | undefined;
  #hot: Hot | undefined;
  #closing: Promise<void> | undefined;

  constructor(given: TokenProvider, options: TokenManagerOptions) {
    checkProvider(given);
    checkManagerOptions(options);
    this.origins = allowedOrigins(checkOrigins(options.origins ?? given.origins));
    this.#clock = options.clock ?? systemClock;
    // DPoP (RFC 9449) wraps the provider: proofs, nonces, and a cache key of its own.
    const dpop = options.dpop
      ? options.dpop.bindProvider(given, () => this.#clock.now())
      : undefined;
    const provider = dpop?.provider ?? given;
    this.#dpop = dpop;
    this.key = provider.key;
    this.label = cleanLabel(provider);
    this.#provider = provider;
    if (provider.responded) this.responded = provider.responded.bind(provider);
    this.#rateLimit = declaredRateLimit(provider);
    this.#revokeOnClose = options.revokeOnClose === true;
    this.#monotonic = elapsed(this.#clock);
    this.#settings = settingsFrom(provider, options);
    this.#store = options.store ?? sharedMemoryStore;
    this.#fetch = options.fetch;
    // The debug printer is on with `debug` or AUTHWIRE_DEBUG=1; without a listener no emitter is made.
    const printer = debugPrinter(options.debug);
    if (options.onEvent || printer) this.#events = new Emitter(options.onEvent, printer);
    this.#entry = retainEntry(this.#store, this.key);
    this.#waitUntil = options.waitUntil;
  }

  /**
   * What a load is built from. Its parts (store access, fetcher, loader) are made when a load
   * starts, not kept: a manager holding a good token keeps none (bench 4, "manager + token").
   */
  #deps(): Parameters<typeof loadParts>[0] {
    return {
      provider: this.#provider,
      rateLimit: this.#rateLimit,
      label: this.label,
      store: this.#store,
      clock: this.#clock,
      monotonic: this.#monotonic,
      fetch: this.#fetch,
      settings: this.#settings,
      entry: this.#entry,
      storeKey: this.#dpop?.storeKey,
      events: { emit: (event: TokenEvent): void => this.#emit(event) },
      wrappers: this.#wrappers,
    };
  }

  /** Single-flight: the load in flight for the key, or a new one every caller shares. */
  #acquire(
    reason: FetchReason,
    current: Token | undefined,
    rejected: Token | undefined,
    background: boolean,
  ): Promise<Token> {
    const load = () => loadParts(this.#deps()).loader.load(reason, current, rejected, background);
    // How callers share it (made per load, not kept: bench 4, "manager + token").
    const boundMs = loadBoundMs(this.#settings);
    const sharing = { background, monotonic: this.#monotonic, boundMs, waitUntil: this.#waitUntil };
    return this.#entry.share(load, sharing);
  }

  #emit(event: TokenEvent): void {
    this.#events?.emit(event);
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
    if (!isAllowedOrigin(this.origins, url)) return Promise.resolve(undefined);
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
    if (!isAllowedOrigin(this.origins, url)) return undefined;
    this.#assertUsable(undefined);
    // The provider heals it without a new token (a DPoP nonce for the next proof).
    if (options.challenge && this.#provider.challenged?.(rejected, options.challenge) === true) {
      return await this.#authorization(rejected, url, options.method);
    }
    this.#emit({ type: 'unauthorized_retry', label: this.label, url: endpointLabel(url) });
    await this.invalidate(rejected);
    this.#assertUsable(options.signal);
    const reload = () =>
      this.#wait(this.#acquire('unauthorized', undefined, rejected, false), options);
    // Someone may already have replaced the rejected token: use theirs. A load already in flight
    // may have read the rejected token back before it was dropped: then load once more.
    let token = replacementOf(rejected, this.#entry.token, this.#clock.now(), this.#settings);
    token ??= await reload();
    if (token.accessToken === rejected.accessToken) token = await reload();
    return await this.#authorization(token, url, options.method);
  }

  async invalidate(token: Token): Promise<void> {
    this.#entry.reject(token);
    if (this.#entry.drop(token)) this.#emit({ type: 'token_invalidated', label: this.label });
    await storeAccess(this.#deps()).delete(token);
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
      // A key made for this manager dies with it: nobody can use its token any more.
      const left = this.#dpop?.ephemeral ? entry.token : undefined;
      if (left) await within(CLOSE_BOUND_MS, storeAccess(this.#deps()).delete(left));
    }
    if (revoking) await within(CLOSE_BOUND_MS, loadParts(this.#deps()).revoke(revoking));
    this.#emit({ type: 'closed', label: this.label });
    this.#events = undefined;
  }

  /** The hot path without a promise: headers while a good token is cached, else undefined. */
  static cached(
    manager: TokenManager,
    url: string | URL,
    method?: string,
  ): Authorization | undefined {
    if (!(#entry in manager) || manager.#closing || !isAllowedOrigin(manager.origins, url)) return;
    const hot = manager.#usable();
    // A DPoP proof is signed asynchronously (WebCrypto): such a request takes `authorize`.
    if (!hot || manager.#dpop) return undefined;
    const authorization = manager.#authorization(hot.token, url, method);
    if (!(authorization instanceof Promise)) return authorization;
    // Another provider's asynchronous per-request headers: not at once either.
    authorization.catch(() => {});
    return undefined;
  }

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

  #assertUsable(signal: AbortSignal | undefined): void {
    if (this.#closing !== undefined) throw new ClosedError();
    if (signal?.aborted) throw asAbortError(signal.reason);
  }

  /** A promise when per-request headers are signed asynchronously (a DPoP proof). */
  #authorization(token: Token, url?: string | URL, method?: string) {
    return this.#entry.authorizationFor(token, this.#provider, url, method);
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
    const hot = hotFor(this.#hot, token, entry, this.#settings, () =>
      this.#entry.headersOf(token, this.#provider),
    );
    this.#hot = hot;
    const revokes = this.#provider.refreshRevokesPrevious === true;
    const refresh = (): void =>
      refreshAhead(
        entry,
        this.#monotonic,
        () => this.#clock.random(),
        revokes,
        (background) => this.#acquire('refresh', token, undefined, background),
      );
    return servesCached(hot, now, entry, revokes, refresh) ? hot : undefined;
  }

  async #fetchForCaller(options: GetTokenOptions, forced: boolean): Promise<Token> {
    const token = this.#entry.token;
    const reason: FetchReason = fetchReason(token, this.#clock.now(), forced);
    const current = reason === 'refresh' ? token : undefined;
    try {
      return await this.#wait(this.#acquire(reason, current, undefined, false), options);
    } catch (error) {
      const old = this.#entry.token ?? current;
      const now = this.#clock.now();
      const closed = this.#closing !== undefined;
      if (closed || !servesAfterFailedRefresh(old, current, this.#entry, now, this.#settings)) {
        throw error;
      }
      return old as Token;
    }
  }

  /** The caller's view of a shared fetch: its own signal, timeout, and this manager's close. */
  async #wait(shared: Promise<Token>, options: AuthorizeOptions): Promise<Token> {
    this.#waiters ??= new Set();
    try {
      return await callerWait(shared, options, this.#clock, this.#waiters);
    } finally {
      // An idle manager holds no set (bench 4, "manager + token": 10,000 empty sets otherwise).
      if (this.#waiters?.size === 0) this.#waiters = undefined;
    }
  }
}
