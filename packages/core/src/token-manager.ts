// The token manager: cache, single-flight, refresh-ahead, 401 invalidation, back-off.
import { asAbortError, waitFor } from './abort.ts';
import { backoffDelay } from './backoff.ts';
import { systemClock } from './clock.ts';
import { deadline } from './deadline.ts';
import {
  ClosedError,
  InvalidOptionsError,
  InvalidTokenResponseError,
  RateLimitedError,
} from './errors.ts';
import { keyState } from './key-state.ts';
import type {
  AuthorizeOptions,
  GetTokenOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager-types.ts';
import { sharedMemoryStore } from './memory-store.ts';
import { hardExpiry, refreshAt } from './refresh-policy.ts';
import { settingsFrom } from './settings.ts';
import { tokenFetcher } from './token-fetcher.ts';
import type { Authorization, FetchReason, Token, TokenEvent, TokenProvider } from './types.ts';
import { endpointLabel, originOf, secureOrigins } from './url.ts';
import { invalidOption } from './validate.ts';

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
      'origins must list the API origins the token may be sent to',
    );
  }
  const originList = secureOrigins(origins, 'origins');
  const originSet: ReadonlySet<string> = new Set(originList);
  const store = options.store ?? sharedMemoryStore;
  // The lock's polling comes with the store (`lockedLoad`), so memory-only users do not load it.
  if (!store.lock !== !store.lockedLoad) {
    invalidOption('store', 'must have both lock and lockedLoad, or neither');
  }
  const clock = options.clock ?? systemClock;
  const settings = settingsFrom(provider, options);
  const { key } = provider;
  const state = keyState(store, key);
  if (state.managers === 0 && state.lifecycle.signal.aborted) {
    state.lifecycle = new AbortController();
  }
  state.managers += 1;
  const listeners = new Set<(event: TokenEvent) => void>();
  /** Callers waiting on a shared fetch; `close()` rejects them. */
  const waiters = new Set<(error: Error) => void>();
  const authorizations = new WeakMap<Token, Authorization>();
  let closed = false;
  /** The cached token with what `usable()` needs of it, worked out once per token. */
  let hot: Hot | undefined;

  const subscribe = (listener: (event: TokenEvent) => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  if (options.onEvent) subscribe(options.onEvent);
  const emit = (event: TokenEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // Observability must not change behaviour.
      }
    }
  };
  const asError = (error: unknown): Error =>
    error instanceof Error ? error : new Error(String(error));
  const storeError = (operation: string, error: unknown): void =>
    emit({ type: 'store_error', key, operation, error: asError(error) });
  const assertOpen = (): void => {
    if (closed) throw new ClosedError();
  };
  const assertNotAborted = (signal: AbortSignal | undefined): void => {
    if (signal?.aborted) throw asAbortError(signal.reason);
  };
  const fetcher = tokenFetcher({
    key,
    provider,
    store,
    clock,
    fetch: options.fetch,
    settings,
    state,
    emit,
  });

  /** One frozen Authorization per token: adapters attach it on every request. */
  const authorizationFor = (token: Token): Authorization => {
    let authorization = authorizations.get(token);
    if (!authorization) {
      const scheme = token.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : token.tokenType;
      const headers = Object.freeze({
        ...provider.headers?.(token),
        Authorization: `${scheme} ${token.accessToken}`,
      });
      authorization = Object.freeze({ token, headers });
      authorizations.set(token, authorization);
    }
    return authorization;
  };

  /** A token from the store that is not `exclude` and not yet due for refresh, adopted as ours. */
  const readFresh = async (exclude: Token | undefined): Promise<Token | undefined> => {
    let stored: Token | undefined;
    try {
      stored = await store.get(key);
    } catch (error) {
      storeError('get', error);
      return undefined;
    }
    if (!stored || state.rejected.has(stored.accessToken)) return undefined;
    if (stored.accessToken === exclude?.accessToken) return undefined;
    // A token issued before the one being replaced is likely dead too (revocations, Oracle's refresh).
    if (exclude && stored.issuedAt < exclude.issuedAt) return undefined;
    const jitter = clock.random();
    if (clock.now() >= refreshAt(stored, settings, jitter)) return undefined;
    state.token = stored;
    state.jitter = jitter;
    return stored;
  };

  const fetchAndStore = async (reason: FetchReason, current: Token | undefined): Promise<Token> => {
    const started = clock.now();
    const token = await fetcher.fetch(reason, current);
    if (clock.now() >= hardExpiry(token, settings)) {
      throw new InvalidTokenResponseError(
        `token endpoint for ${key}`,
        200,
        'the token expired before the response arrived',
      );
    }
    state.token = token;
    state.jitter = clock.random();
    state.nextBackgroundAt = 0;
    try {
      await store.set(key, token, Math.max(0, token.expiresAt - clock.now()));
    } catch (error) {
      storeError('set', error);
    }
    emit({
      type: 'token_acquired',
      key,
      reason,
      expiresAt: token.expiresAt,
      durationMs: clock.now() - started,
    });
    return token;
  };

  const load = async (
    reason: FetchReason,
    current: Token | undefined,
    rejected: Token | undefined,
  ): Promise<Token> => {
    const exclude = rejected ?? current;
    if (reason !== 'forced') {
      const stored = await readFresh(exclude);
      if (stored) return stored;
    }
    const { lockedLoad } = store;
    if (!lockedLoad) return fetchAndStore(reason, current);
    return lockedLoad({
      key,
      store,
      clock,
      lockTtlMs: settings.lockTtlMs,
      signal: state.lifecycle.signal,
      readFresh: () => (reason === 'forced' ? Promise.resolve(undefined) : readFresh(exclude)),
      poll: () => readFresh(exclude),
      fetch: () => fetchAndStore(reason, current),
      storeError,
      emit,
    });
  };

  /** Single-flight: every caller of one key shares the one fetch in flight. */
  const acquire = (
    reason: FetchReason,
    current: Token | undefined,
    rejected: Token | undefined,
  ): Promise<Token> => {
    if (state.inflight) return state.inflight;
    const inflight = load(reason, current, rejected).finally(() => {
      if (state.inflight === inflight) state.inflight = undefined;
    });
    state.inflight = inflight;
    return inflight;
  };

  const refreshInBackground = (current: Token, now: number): void => {
    if (state.inflight || now < state.nextBackgroundAt || now < state.blockedUntil) return;
    acquire('refresh', current, undefined).then(
      () => {
        state.backgroundFailures = 0;
      },
      (error: unknown) => {
        // The valid token keeps being served; try again after a back-off, on a later call.
        state.backgroundFailures += 1;
        const retryInMs =
          error instanceof RateLimitedError
            ? error.retryAfterMs
            : backoffDelay(state.backgroundFailures, 1_000, 30_000, clock.random());
        state.nextBackgroundAt = clock.now() + retryInMs;
        emit({
          type: 'token_refresh_failed',
          key,
          reason: 'refresh',
          error: asError(error),
          retryInMs,
        });
      },
    );
  };

  /**
   * The hot path, synchronous: the cached token while it is good, with what callers need of it
   * worked out once per token; inside the refresh window it also starts the background refresh.
   */
  const usable = (): Hot | undefined => {
    const token = state.token;
    if (!token) return undefined;
    let entry = hot;
    if (entry?.token !== token || entry.jitter !== state.jitter) {
      entry = {
        token,
        jitter: state.jitter,
        refreshAt: refreshAt(token, settings, state.jitter),
        expiresAt: hardExpiry(token, settings),
        authorization: authorizationFor(token),
      };
      hot = entry;
    }
    const now = clock.now();
    if (now >= entry.expiresAt) return undefined;
    if (now >= entry.refreshAt) refreshInBackground(token, now);
    return entry;
  };

  /** `usable()` for a caller: throws when closed or already aborted; skipped by forceRefresh. */
  const cached = (options: GetTokenOptions): Token | undefined => {
    assertOpen();
    assertNotAborted(options.signal);
    return options.forceRefresh ? undefined : usable()?.token;
  };

  /** The caller's view of a shared fetch: its own signal, timeout, and this manager's close. */
  const wait = async (shared: Promise<Token>, options: AuthorizeOptions): Promise<Token> => {
    const { signal, timeoutMs } = options;
    if (timeoutMs === undefined || timeoutMs <= 0) return waitFor(shared, [signal], waiters);
    const timeout = deadline(clock, timeoutMs, 'Waiting for a token');
    try {
      return await waitFor(shared, [signal, timeout.signal], waiters);
    } finally {
      timeout.dispose();
    }
  };

  const fetchForCaller = (options: GetTokenOptions): Promise<Token> => {
    const token = state.token;
    const current = token && clock.now() < token.expiresAt ? token : undefined;
    const reason: FetchReason = options.forceRefresh ? 'forced' : current ? 'refresh' : 'initial';
    return wait(acquire(reason, current, undefined), options);
  };

  const allows = (url: string | URL): boolean => {
    if (typeof url === 'string') {
      // Fast path: an allowed origin followed by a path, query, fragment or nothing. Anything
      // else (userinfo, ports, case, look-alike hosts) goes through the URL parser below.
      for (const origin of originList) {
        if (url.startsWith(origin)) {
          const next = url.charCodeAt(origin.length);
          if (Number.isNaN(next) || next === 47 || next === 63 || next === 35) return true;
        }
      }
    }
    const origin = originOf(url);
    return origin !== undefined && originSet.has(origin);
  };

  const invalidate = async (token: Token): Promise<void> => {
    state.rejected.add(token.accessToken);
    // Bounded: only the last few matter (the ones a store might still return).
    if (state.rejected.size > 16) state.rejected.delete(state.rejected.values().next().value!);
    if (state.token?.accessToken === token.accessToken) {
      state.token = undefined;
      emit({ type: 'token_invalidated', key });
    }
    try {
      await store.delete(key, token);
    } catch (error) {
      storeError('delete', error);
    }
  };

  return {
    key,
    origins: Object.freeze(originList),
    allows,
    invalidate,
    subscribe,

    async getToken(options = {}) {
      return cached(options) ?? fetchForCaller(options);
    },

    peek(url) {
      return closed || !allows(url) ? undefined : usable()?.authorization;
    },

    authorize(url, options = {}) {
      if (!allows(url)) return Promise.resolve(undefined);
      let token: Token | undefined;
      try {
        token = cached(options);
      } catch (error) {
        return Promise.reject(error);
      }
      if (token) return Promise.resolve(authorizationFor(token));
      return fetchForCaller(options).then(authorizationFor);
    },

    async reauthorize(url, rejected, options = {}) {
      if (!allows(url)) return undefined;
      assertOpen();
      emit({ type: 'unauthorized_retry', key, url: endpointLabel(url) });
      await invalidate(rejected);
      assertNotAborted(options.signal);
      const current = state.token;
      // Someone may already have replaced the rejected token: use theirs.
      let token =
        current &&
        current.accessToken !== rejected.accessToken &&
        clock.now() < hardExpiry(current, settings)
          ? current
          : await wait(acquire('unauthorized', undefined, rejected), options);
      // A load already in flight may have read the rejected token back before it was dropped.
      if (token.accessToken === rejected.accessToken) {
        token = await wait(acquire('unauthorized', undefined, rejected), options);
      }
      return authorizationFor(token);
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const reject of [...waiters]) reject(new ClosedError());
      state.managers -= 1;
      if (state.managers === 0) {
        state.lifecycle.abort(new ClosedError());
        // Let the aborted fetch unwind so no timer outlives close().
        await state.inflight?.catch(() => {});
      }
      const token = state.token;
      if (options.revokeOnClose && token && provider.revoke) {
        state.token = undefined;
        const timeout = deadline(clock, settings.requestTimeoutMs, 'Token revocation');
        try {
          await provider.revoke(token, fetcher.context(timeout.signal));
          await store.delete(key, token);
        } catch {
          // Best effort: the token expires on its own.
        } finally {
          timeout.dispose();
        }
      }
      listeners.clear();
    },
  };
}

/** The cached token with its deadlines and headers, worked out once. */
interface Hot {
  readonly token: Token;
  readonly jitter: number;
  readonly refreshAt: number;
  readonly expiresAt: number;
  readonly authorization: Authorization;
}
