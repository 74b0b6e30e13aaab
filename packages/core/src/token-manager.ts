// The token manager: cache, single-flight, refresh-ahead, 401 invalidation, back-off.
import { asAbortError, waitFor } from './abort.ts';
import { backoffDelay } from './backoff.ts';
import { systemClock } from './clock.ts';
import { deadline } from './deadline.ts';
import { Emitter } from './emitter.ts';
import {
  ClosedError,
  InvalidOptionsError,
  InvalidTokenResponseError,
  RateLimitedError,
} from './errors.ts';
import { type KeyState, keyState } from './key-state.ts';
import { loadUnderLock } from './lock.ts';
import type {
  AuthorizeOptions,
  GetTokenOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager-types.ts';
import { sharedMemoryStore } from './memory-store.ts';
import { hardExpiry, type RefreshPolicy, refreshAt } from './refresh-policy.ts';
import { type Settings, settingsFrom } from './settings.ts';
import { TokenFetcher } from './token-fetcher.ts';
import type {
  Authorization,
  Clock,
  FetchReason,
  Token,
  TokenEvent,
  TokenProvider,
  TokenStore,
} from './types.ts';
import { endpointLabel, originOf, secureOrigins } from './url.ts';

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
export function createTokenManager(
  provider: TokenProvider,
  options: TokenManagerOptions = {},
): TokenManager {
  if (
    typeof provider !== 'object' ||
    provider === null ||
    typeof provider.fetchToken !== 'function'
  ) {
    throw new InvalidOptionsError(
      'provider',
      'provider must be an object with a fetchToken() method',
    );
  }
  if (typeof provider.key !== 'string' || provider.key === '') {
    throw new InvalidOptionsError('provider.key', 'provider.key must be a non-empty string');
  }
  const origins = options.origins ?? provider.origins;
  if (!Array.isArray(origins) || origins.length === 0) {
    throw new InvalidOptionsError(
      'origins',
      'origins must list the API origins the token may be sent to (e.g. ["https://api.example.com"])',
    );
  }
  return new Manager(provider, secureOrigins(origins, 'origins'), options);
}

/** The cached token with what `peek` needs of it, worked out once. */
interface Hot {
  readonly token: Token;
  readonly jitter: number;
  readonly refreshAt: number;
  readonly expiresAt: number;
  readonly authorization: Authorization;
}

class Manager implements TokenManager {
  readonly key: string;
  readonly origins: readonly string[];
  readonly #provider: TokenProvider;
  readonly #store: TokenStore;
  readonly #clock: Clock;
  readonly #settings: Settings;
  readonly #policy: RefreshPolicy;
  readonly #state: KeyState;
  readonly #events = new Emitter();
  #closed = false;
  /** Callers waiting on a shared fetch; `close()` rejects them. */
  readonly #waiters = new Set<(error: Error) => void>();
  readonly #originSet: ReadonlySet<string>;
  readonly #revokeOnClose: boolean;
  readonly #authorizations = new WeakMap<Token, Authorization>();
  readonly #fetcher: TokenFetcher;
  #hot: Hot | undefined;

  constructor(provider: TokenProvider, origins: string[], options: TokenManagerOptions) {
    this.#provider = provider;
    this.key = provider.key;
    this.origins = Object.freeze(origins);
    this.#originSet = new Set(origins);
    this.#store = options.store ?? sharedMemoryStore;
    this.#clock = options.clock ?? systemClock;
    this.#settings = settingsFrom(provider, options);
    this.#policy = this.#settings;
    this.#revokeOnClose = options.revokeOnClose ?? false;
    if (options.onEvent) this.#events.subscribe(options.onEvent);
    this.#state = keyState(this.#store, this.key);
    if (this.#state.managers === 0 && this.#state.lifecycle.signal.aborted) {
      this.#state.lifecycle = new AbortController();
    }
    this.#state.managers += 1;
    this.#fetcher = new TokenFetcher({
      key: this.key,
      provider,
      store: this.#store,
      clock: this.#clock,
      fetch: options.fetch,
      settings: this.#settings,
      state: this.#state,
      emit: (event) => this.#emit(event),
    });
  }

  async getToken(options: GetTokenOptions = {}): Promise<Token> {
    return this.#cached(options) ?? this.#fetchForCaller(options);
  }

  /**
   * The hot path, synchronous: the cached token when it is still good (starting a background
   * refresh inside the window), else undefined. Throws when closed or already aborted.
   */
  #cached(options: GetTokenOptions): Token | undefined {
    this.#assertOpen();
    if (options.signal?.aborted) throw asAbortError(options.signal.reason);
    const state = this.#state;
    const cached = state.token;
    if (options.forceRefresh || !cached) return undefined;
    const now = this.#clock.now();
    if (now >= hardExpiry(cached, this.#policy)) return undefined;
    if (now >= refreshAt(cached, this.#policy, state.jitter))
      this.#refreshInBackground(cached, now);
    return cached;
  }

  #fetchForCaller(options: GetTokenOptions): Promise<Token> {
    const cached = this.#state.token;
    const current = cached && this.#clock.now() < cached.expiresAt ? cached : undefined;
    const reason: FetchReason = options.forceRefresh ? 'forced' : current ? 'refresh' : 'initial';
    return this.#wait(this.#acquire(reason, current, undefined), options);
  }

  /** The caller's view of a shared fetch: its own signal, timeout, and this manager's close. */
  async #wait(shared: Promise<Token>, options: AuthorizeOptions): Promise<Token> {
    const { signal, timeoutMs } = options;
    if (timeoutMs === undefined || timeoutMs <= 0) {
      return waitFor(shared, [signal], this.#waiters);
    }
    const timeout = deadline(this.#clock, timeoutMs, 'Waiting for a token');
    try {
      return await waitFor(shared, [signal, timeout.signal], this.#waiters);
    } finally {
      timeout.dispose();
    }
  }

  async invalidate(token: Token): Promise<void> {
    const state = this.#state;
    state.rejected.add(token.accessToken);
    // Bounded: only the last few matter (the ones a store might still return).
    if (state.rejected.size > 16) state.rejected.delete(state.rejected.values().next().value!);
    if (state.token?.accessToken === token.accessToken) {
      state.token = undefined;
      this.#emit({ type: 'token_invalidated', key: this.key });
    }
    try {
      await this.#store.delete(this.key, token);
    } catch (error) {
      this.#storeError('delete', error);
    }
  }

  allows(url: string | URL): boolean {
    if (typeof url === 'string') {
      // Fast path: an allowed origin followed by a path, query, fragment or nothing. Anything
      // else (userinfo, ports, case, look-alike hosts) goes through the URL parser below.
      for (const origin of this.origins) {
        if (url.startsWith(origin)) {
          const next = url.charCodeAt(origin.length);
          if (Number.isNaN(next) || next === 47 || next === 63 || next === 35) return true;
        }
      }
    }
    const origin = originOf(url);
    return origin !== undefined && this.#originSet.has(origin);
  }

  peek(url: string | URL): Authorization | undefined {
    const state = this.#state;
    const token = state.token;
    if (this.#closed || !token || !this.allows(url)) return undefined;
    // Adapters call this on every request: the token's deadlines are worked out once per token.
    let hot = this.#hot;
    if (hot?.token !== token || hot.jitter !== state.jitter) {
      hot = {
        token,
        jitter: state.jitter,
        refreshAt: refreshAt(token, this.#policy, state.jitter),
        expiresAt: hardExpiry(token, this.#policy),
        authorization: this.#authorizationFor(token),
      };
      this.#hot = hot;
    }
    const now = this.#clock.now();
    if (now >= hot.expiresAt) return undefined;
    if (now >= hot.refreshAt) this.#refreshInBackground(token, now);
    return hot.authorization;
  }

  authorize(url: string | URL, options: AuthorizeOptions = {}): Promise<Authorization | undefined> {
    if (!this.allows(url)) return Promise.resolve(undefined);
    let token: Token | undefined;
    try {
      token = this.#cached(options);
    } catch (error) {
      return Promise.reject(error);
    }
    if (token) return Promise.resolve(this.#authorizationFor(token));
    return this.#fetchForCaller(options).then((fresh) => this.#authorizationFor(fresh));
  }

  async reauthorize(
    url: string | URL,
    rejected: Token,
    options: AuthorizeOptions = {},
  ): Promise<Authorization | undefined> {
    if (!this.allows(url)) return undefined;
    this.#assertOpen();
    this.#emit({ type: 'unauthorized_retry', key: this.key, url: endpointLabel(url) });
    await this.invalidate(rejected);
    if (options.signal?.aborted) throw asAbortError(options.signal.reason);
    const cached = this.#state.token;
    // Someone may already have replaced the rejected token: use theirs.
    let token =
      cached &&
      cached.accessToken !== rejected.accessToken &&
      this.#clock.now() < hardExpiry(cached, this.#policy)
        ? cached
        : await this.#wait(this.#acquire('unauthorized', undefined, rejected), options);
    // A load already in flight may have read the rejected token back before it was dropped.
    if (token.accessToken === rejected.accessToken) {
      token = await this.#wait(this.#acquire('unauthorized', undefined, rejected), options);
    }
    return this.#authorizationFor(token);
  }

  subscribe(listener: (event: TokenEvent) => void): () => void {
    return this.#events.subscribe(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const reject of [...this.#waiters]) reject(new ClosedError());
    const state = this.#state;
    state.managers -= 1;
    if (state.managers === 0) {
      state.lifecycle.abort(new ClosedError());
      // Let the aborted fetch unwind so no timer outlives close().
      await state.inflight?.catch(() => {});
    }
    const token = state.token;
    if (this.#revokeOnClose && token && this.#provider.revoke) {
      state.token = undefined;
      const timeout = deadline(this.#clock, this.#settings.requestTimeoutMs, 'Token revocation');
      try {
        await this.#provider.revoke(token, this.#fetcher.context(timeout.signal));
        await this.#store.delete(this.key, token);
      } catch {
        // Best effort: the token expires on its own.
      } finally {
        timeout.dispose();
      }
    }
    this.#events.clear();
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError();
  }

  #emit(event: TokenEvent): void {
    this.#events.emit(event);
  }

  #storeError(operation: string, error: unknown): void {
    this.#emit({
      type: 'store_error',
      key: this.key,
      operation,
      error: error instanceof Error ? error : new Error(String(error)),
    });
  }

  /** One frozen Authorization per token: adapters attach it on every request. */
  #authorizationFor(token: Token): Authorization {
    let authorization = this.#authorizations.get(token);
    if (!authorization) {
      const scheme = token.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : token.tokenType;
      const headers = Object.freeze({
        ...this.#provider.headers?.(token),
        Authorization: `${scheme} ${token.accessToken}`,
      });
      authorization = Object.freeze({ token, headers });
      this.#authorizations.set(token, authorization);
    }
    return authorization;
  }

  /** Single-flight: every caller of one key shares the one fetch in flight. */
  #acquire(
    reason: FetchReason,
    current: Token | undefined,
    rejected: Token | undefined,
  ): Promise<Token> {
    const state = this.#state;
    if (state.inflight) return state.inflight;
    const inflight = this.#load(reason, current, rejected).finally(() => {
      if (state.inflight === inflight) state.inflight = undefined;
    });
    state.inflight = inflight;
    return inflight;
  }

  #refreshInBackground(current: Token, now: number): void {
    const state = this.#state;
    if (state.inflight || now < state.nextBackgroundAt || now < state.blockedUntil) return;
    this.#acquire('refresh', current, undefined).then(
      () => {
        state.backgroundFailures = 0;
      },
      (error: unknown) => {
        // The valid token keeps being served; try again after a back-off, on a later call.
        state.backgroundFailures += 1;
        const retryInMs =
          error instanceof RateLimitedError
            ? error.retryAfterMs
            : backoffDelay(state.backgroundFailures, 1_000, 30_000, this.#clock.random());
        state.nextBackgroundAt = this.#clock.now() + retryInMs;
        this.#emit({
          type: 'token_refresh_failed',
          key: this.key,
          reason: 'refresh',
          error: error instanceof Error ? error : new Error(String(error)),
          retryInMs,
        });
      },
    );
  }

  async #load(
    reason: FetchReason,
    current: Token | undefined,
    rejected: Token | undefined,
  ): Promise<Token> {
    const exclude = rejected ?? current;
    if (reason !== 'forced') {
      const stored = await this.#readFresh(exclude);
      if (stored) return stored;
    }
    if (!this.#store.lock) return this.#fetchAndStore(reason, current);
    return loadUnderLock({
      key: this.key,
      store: this.#store,
      clock: this.#clock,
      lockTtlMs: this.#settings.lockTtlMs,
      signal: this.#state.lifecycle.signal,
      readFresh: () =>
        reason === 'forced' ? Promise.resolve(undefined) : this.#readFresh(exclude),
      poll: () => this.#readFresh(exclude),
      fetch: () => this.#fetchAndStore(reason, current),
      storeError: (operation, error) => this.#storeError(operation, error),
      emit: (event) => this.#emit(event),
    });
  }

  /** A token from the store that is not `exclude` and not yet due for refresh, adopted as ours. */
  async #readFresh(exclude: Token | undefined): Promise<Token | undefined> {
    let stored: Token | undefined;
    try {
      stored = await this.#store.get(this.key);
    } catch (error) {
      this.#storeError('get', error);
      return undefined;
    }
    if (!stored || this.#state.rejected.has(stored.accessToken)) return undefined;
    if (stored.accessToken === exclude?.accessToken) return undefined;
    // A token issued before the one being replaced is likely dead too (revocations, Oracle's refresh).
    if (exclude && stored.issuedAt < exclude.issuedAt) return undefined;
    const jitter = this.#clock.random();
    if (this.#clock.now() >= refreshAt(stored, this.#policy, jitter)) return undefined;
    this.#state.token = stored;
    this.#state.jitter = jitter;
    return stored;
  }

  async #fetchAndStore(reason: FetchReason, current: Token | undefined): Promise<Token> {
    const started = this.#clock.now();
    const token = await this.#fetcher.fetch(reason, current);
    if (this.#clock.now() >= hardExpiry(token, this.#policy)) {
      throw new InvalidTokenResponseError(
        `token endpoint for ${this.key}`,
        200,
        'the token expired before the response arrived',
      );
    }
    const state = this.#state;
    state.token = token;
    state.jitter = this.#clock.random();
    state.nextBackgroundAt = 0;
    try {
      await this.#store.set(this.key, token, Math.max(0, token.expiresAt - this.#clock.now()));
    } catch (error) {
      this.#storeError('set', error);
    }
    this.#emit({
      type: 'token_acquired',
      key: this.key,
      reason,
      expiresAt: token.expiresAt,
      durationMs: this.#clock.now() - started,
    });
    return token;
  }
}
