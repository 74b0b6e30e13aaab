// The token manager: its public methods over the key entry (cache, single flight), the loader (store, lock, fetch) and the refresh policy; events in manager-events.ts, closing in closing.ts.

import { elapsed, systemClock } from '../clock.ts';
import { ClosedError } from '../errors/errors.ts';
import { cleanLabel } from '../errors/redact.ts';
import {
  checkManagerOptions,
  checkOrigins,
  checkProvider,
  keptRateLimit,
} from '../options/manager-options.ts';
import { loadBoundMs, type Settings, settingsFrom } from '../options/settings.ts';
import * as policy from '../refresh/refresh-policy.ts';
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
  TokenStore,
} from '../types.ts';
import { closeKey } from './closing.ts';
import type { KeyEntry } from './key-entry.ts';
import { retainEntry, sharedMemoryStore } from './key-registry.ts';
import { emitOn, ManagerEvents, wrappersOf } from './manager-events.ts';
import type {
  AuthorizeOptions,
  DpopBinding,
  GetTokenOptions,
  ReauthorizeOptions,
  TokenManager,
  TokenManagerOptions,
} from './manager-types.ts';
import { asAbortError, callerWait } from './waiting.ts';

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

export { emitOn, wrapOn } from './manager-events.ts';

/** Core-internal: the provider a preset's facts are read from. */
export let providerOf: (manager: TokenManager) => TokenProvider;
/** Core-internal: `cached` for a URL the seam allowed (`undefined` for a manager made elsewhere). */
export let cachedOn: (
  manager: TokenManager,
  allowedUrl: string | URL,
  method?: string,
) => Authorization | undefined;

class Manager extends ManagerEvents implements TokenManager {
  readonly key: string;
  readonly origins: readonly string[];
  /** Present only for a provider that reads every response (DPoP nonces): others cost nothing. */
  declare readonly responded?: (response: Challenge) => void;
  readonly #provider: TokenProvider;
  /** The checked rate limit: key, and numbers shared by managers on one (bench 4, norce()). */
  readonly #rateKey: string | undefined;
  readonly #rate: Omit<RateLimit, 'key'> | undefined;
  readonly #clock: Clock;
  readonly #settings: Settings;
  readonly #store: TokenStore;
  readonly #entry: KeyEntry;
  readonly #fetch: typeof fetch | undefined;
  /** DPoP (RFC 9449): the key, nonces, and a store key known only later (the key's thumbprint). */
  readonly #dpop: DpopBinding | undefined;
  readonly #waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  /** Callers waiting on a shared fetch; `close()` rejects them. */
  #waiters: Set<(error: Error) => void> | undefined;
  #hot: policy.Hot | undefined;
  #closing: Promise<void> | undefined;

  constructor(given: TokenProvider, options: TokenManagerOptions) {
    checkProvider(given);
    checkManagerOptions(options);
    super(options);
    this.origins = allowedOrigins(checkOrigins(options.origins ?? given.origins));
    this.#clock = options.clock ?? systemClock;
    // DPoP (RFC 9449) wraps the provider: proofs, nonces, and a cache key of its own.
    const dpop = options.dpop
      ? options.dpop.bindProvider(given, () => this.#clock.now())
      : undefined;
    const provider = dpop?.provider ?? given;
    this.#dpop = dpop;
    this.key = provider.key;
    this.#provider = provider;
    if (provider.responded) this.responded = provider.responded.bind(provider);
    [this.#rateKey, this.#rate] = keptRateLimit(provider);
    this.#settings = settingsFrom(provider, options);
    this.#store = options.store ?? sharedMemoryStore;
    this.#fetch = options.fetch;
    this.#entry = retainEntry(this.#store, this.key);
    this.#waitUntil = options.waitUntil;
  }

  /** Read from the provider when asked, not kept (bench 4, "manager + token", norce()). */
  get label(): string {
    return cleanLabel(this.#provider);
  }

  /**
   * What a load is built from, made when a load starts, not kept: a manager holding a good token
   * keeps no store access, fetcher or loader (bench 4, "manager + token").
   */
  #deps(): Parameters<typeof loadParts>[0] {
    return {
      provider: this.#provider,
      rateLimit: this.#rate && Object.freeze({ ...this.#rate, key: this.#rateKey as string }),
      label: this.label,
      store: this.#store,
      clock: this.#clock,
      monotonic: elapsed(this.#clock),
      fetch: this.#fetch,
      settings: this.#settings,
      entry: this.#entry,
      storeKey: this.#dpop?.storeKey,
      events: { emit: (event: TokenEvent): void => emitOn(this, event) },
      wrappers: wrappersOf(this),
    };
  }

  /** Single-flight: the load in flight for the key, or a new one every caller shares. */
  #acquire(reason: FetchReason, current?: Token, rejected?: Token, background = false) {
    const load = () => loadParts(this.#deps()).loader.load(reason, current, rejected, background);
    // How callers share it (made per load, not kept: bench 4, "manager + token").
    const boundMs = loadBoundMs(this.#settings);
    const sharing = { monotonic: elapsed(this.#clock), boundMs, waitUntil: this.#waitUntil };
    return this.#entry.share(load, sharing);
  }

  async getToken(options: GetTokenOptions = {}): Promise<Token> {
    this.#assertUsable(options.signal);
    const hot = options.forceRefresh ? undefined : this.#usable();
    return hot ? hot.token : this.#fetchForCaller(options, options.forceRefresh === true);
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
    emitOn(this, { type: 'unauthorized_retry', label: this.label, url: endpointLabel(url) });
    await this.invalidate(rejected);
    this.#assertUsable(options.signal);
    const reload = () => this.#wait(this.#acquire('unauthorized', undefined, rejected), options);
    // Someone may already have replaced the rejected token: use theirs. A load already in flight
    // may have read the rejected token back before it was dropped: then load once more.
    const now = this.#clock.now();
    let token = policy.replacementOf(rejected, this.#entry.token, now, this.#settings);
    token ??= await reload();
    if (token.accessToken === rejected.accessToken) token = await reload();
    return await this.#authorization(token, url, options.method);
  }

  async invalidate(token: Token): Promise<void> {
    this.#entry.reject(token);
    if (this.#entry.drop(token)) emitOn(this, { type: 'token_invalidated', label: this.label });
    await storeAccess(this.#deps()).delete(token);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    for (const reject of [...(this.#waiters ?? [])]) reject(new ClosedError());
    await closeKey({ ...this.#deps(), revoke: this.#settings.revokeOnClose, dpop: this.#dpop });
    emitOn(this, { type: 'closed', label: this.label });
  }

  // Core-internal functions, set here and not statics: `manager.constructor` hands out nothing.
  static {
    providerOf = (manager) => (manager as Manager).#provider;
    /** The hot path without a promise, for a URL the seam allowed: headers of a good cached token. */
    cachedOn = (manager, allowedUrl, method) => {
      if (!(#entry in manager) || manager.#closing) return undefined;
      const hot = manager.#usable();
      if (!hot) return undefined;
      // The token's own frozen headers, no call further (bench 1b′, callgrind: own instructions).
      if (!manager.#provider.requestHeaders) return hot.authorization;
      // A DPoP proof is signed asynchronously (WebCrypto): such a request takes `authorize`.
      if (manager.#dpop) return undefined;
      const authorization = manager.#authorization(hot.token, allowedUrl, method);
      if (!(authorization instanceof Promise)) return authorization;
      // Another provider's asynchronous per-request headers: not at once either.
      authorization.catch(() => {});
      return undefined;
    };
  }

  #assertUsable(signal: AbortSignal | undefined): void {
    if (this.#closing !== undefined) throw new ClosedError();
    if (signal?.aborted) throw asAbortError(signal.reason);
  }

  /** A promise when per-request headers are signed asynchronously (a DPoP proof). */
  #authorization(token: Token, url?: string | URL, method?: string) {
    return this.#entry.authorizationFor(token, this.#provider, url, method);
  }

  /** The cached token while good; in the refresh window a background refresh starts (revoking: waits). */
  #usable(): policy.Hot | undefined {
    const entry = this.#entry;
    const token = entry.token;
    const now = this.#clock.now();
    // Call gaps feed the adaptive window; the token's lifetime is how far back they count.
    const observations = entry.observeCall(now, token);
    if (!token) return undefined;
    let hot = this.#hot;
    // Anew only for a new token or observations; closures only past refreshAt (bench 1b′, callgrind).
    if (hot?.token !== token || hot.observations !== observations) {
      const headers = () => entry.headersOf(token, this.#provider);
      hot = policy.hotFor(hot, token, entry, this.#settings, headers);
      this.#hot = hot;
    }
    if (policy.isFresh(hot, now)) return hot; // no closure made (bench 1b′, callgrind)
    const revokes = this.#provider.refreshRevokesPrevious === true;
    const refresh = (): void =>
      policy.refreshAhead(
        entry,
        elapsed(this.#clock),
        () => this.#clock.random(),
        revokes,
        (background) => this.#acquire('refresh', token, undefined, background),
      );
    return policy.servesCached(hot, now, entry, revokes, refresh) ? hot : undefined;
  }

  async #fetchForCaller(options: GetTokenOptions, forced: boolean): Promise<Token> {
    const entry = this.#entry;
    const token = entry.token;
    const reason: FetchReason = policy.fetchReason(token, this.#clock.now(), forced);
    const current = reason === 'refresh' ? token : undefined;
    try {
      return await this.#wait(this.#acquire(reason, current), options);
    } catch (error) {
      const old = entry.token ?? current;
      const now = this.#clock.now();
      const serves = policy.servesAfterFailedRefresh(old, current, entry, now, this.#settings);
      if (this.#closing || !serves) throw error;
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
