// Per-cache-key state shared by every manager of one store and key: only this class writes it.

import {
  clampTimer,
  LATENCY_SAMPLES,
  REDONE_LOADS_MAX,
  REJECTED_TOKENS_KEPT,
} from '../options/settings.ts';
import type { Observed } from '../refresh/refresh-policy.ts';
import { BackgroundRefresh } from '../refresh/refresh-policy.ts';
import type { Authorization, Token, TokenProvider } from '../types.ts';

/** How a caller shares a load: how its age is measured, how long a live one takes, waitUntil. */
export interface ShareOptions {
  /** A refresh-ahead nobody waits for (yet). */
  readonly background: boolean;
  /** The caller's clock (its monotonic reading): where a load's age is measured. */
  readonly monotonic: () => number;
  /** The longest a live load takes (every wait in it is bounded): past it, it was abandoned. */
  readonly boundMs: number;
  /** Keeps the request that starts a load alive until it settles (a Worker's `ctx.waitUntil`). */
  readonly waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

/**
 * One load every caller shares. On a platform that ties I/O and promises to the request that
 * created them (Cloudflare Workers), a load whose request ended is abandoned: its I/O is cancelled,
 * it never settles, and another request awaiting it gets the platform's error instead (or waits
 * forever, with older compatibility flags).
 */
interface Flight {
  readonly promise: Promise<Token>;
  readonly outcome: Outcome;
  /** Milliseconds left before the load is past the longest a live one takes. */
  readonly remainingMs: () => number;
  background: boolean;
}

/**
 * Written by the load's own reaction, in the request that started it: a rejection a joiner sees
 * that is not `failure` came from the platform.
 */
interface Outcome {
  settled: boolean;
  failure: unknown;
}

/** What a joiner's watch ends with when the load it waits on was abandoned. */
const ABANDONED: unique symbol = Symbol('abandoned');

/**
 * The token this process serves for a key (the L1 in front of the store), the one fetch in flight
 * (single-flight), the tokens a server rejected, and how many open managers use it.
 */
export class KeyEntry {
  #token: Token | undefined;
  #jitter = 0;
  #flight: Flight | undefined;
  /** Created with the first rejection: most keys never see one. */
  #rejected: Set<string> | undefined;
  #managers = 0;
  /** Created when work starts and dropped when it ends, so an idle key holds no controller. */
  #lifecycle: AbortController | undefined;
  #released: Error | undefined;
  /** The Authorization of the token in service, built once per token. */
  #authorization: Authorization | undefined;
  /**
   * The slowest token round trip (ms) of the last LATENCY_SAMPLES, for the adaptive refresh lead:
   * the maxima of the current and the previous half-window, and the samples in the current one
   * (three numbers, no history).
   */
  #latencyMax = 0;
  #latencyMaxBefore = 0;
  #latencySamples = 0;
  #background: BackgroundRefresh | undefined;

  /** The back-off of this key's refresh-ahead (created with the first refresh). */
  get background(): BackgroundRefresh {
    this.#background ??= new BackgroundRefresh();
    return this.#background;
  }

  /** The token in service, if any (it may be expired: callers check with the refresh policy). */
  get token(): Token | undefined {
    return this.#token;
  }

  /** Per-token jitter in [0, 1), so a fleet does not refresh in lockstep. */
  get jitter(): number {
    return this.#jitter;
  }

  /** Aborted when the last manager of the key closes: cancels in-flight work. */
  get signal(): AbortSignal {
    if (!this.#lifecycle) {
      this.#lifecycle = new AbortController();
      if (this.#released) this.#lifecycle.abort(this.#released);
    }
    return this.#lifecycle.signal;
  }

  /**
   * The load in flight, unless it is past the longest a live load takes: that one was abandoned
   * by the request that started it, and is dropped so the next caller starts afresh.
   */
  get inflight(): Promise<Token> | undefined {
    return this.#live()?.promise;
  }

  #live(): Flight | undefined {
    const flight = this.#flight;
    if (flight && isPastBound(flight)) this.#clear(flight);
    return this.#flight;
  }

  get managers(): number {
    return this.#managers;
  }

  #lastCallAt: number | undefined;
  #callGap = 0;
  #callGapAt = 0;

  /** What the adaptive refresh window is derived from. */
  get observed(): Observed {
    return {
      latencyMs: Math.max(this.#latencyMax, this.#latencyMaxBefore),
      callGapMs: this.#callGap,
    };
  }

  /**
   * Notes a call at `now` (ms): the longest gap between calls within the last `horizonMs`
   * (a token lifetime) is kept; two numbers, no history.
   */
  observeCall(now: number, horizonMs: number): void {
    const last = this.#lastCallAt;
    this.#lastCallAt = now;
    if (last === undefined || now < last) return;
    const gap = now - last;
    if (gap >= this.#callGap || now - this.#callGapAt > horizonMs) {
      this.#callGap = gap;
      this.#callGapAt = now;
    }
  }

  /** Records one successful token round trip. */
  observeLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    if (this.#latencySamples === LATENCY_SAMPLES / 2) {
      this.#latencyMaxBefore = this.#latencyMax;
      this.#latencyMax = 0;
      this.#latencySamples = 0;
    }
    this.#latencySamples += 1;
    if (ms > this.#latencyMax) this.#latencyMax = ms;
  }

  /** Serves `token` from now on, with a new jitter; a background refresh backing off starts afresh. */
  adopt(token: Token, jitter: number): void {
    this.#token = token;
    this.#jitter = jitter;
    this.#background?.succeeded();
  }

  /** Stops serving the token, but only if it is still `token`: a newer one is kept. */
  drop(token: Token): boolean {
    if (this.#token?.accessToken !== token.accessToken) return false;
    this.#token = undefined;
    return true;
  }

  /**
   * Single-flight: the load in flight, or `load()` started as the one every caller shares. A
   * caller never inherits an abandoned load (see Flight): it drops it, if it is still the current
   * one, and starts or joins a new one; what it gets is that load's token or typed error.
   */
  share(load: () => Promise<Token>, options: ShareOptions): Promise<Token> {
    const flight = this.#live();
    if (!flight) return this.#start(load, options);
    if (!options.background) flight.background = false;
    return this.#join(flight, load, options);
  }

  #start(load: () => Promise<Token>, options: ShareOptions): Promise<Token> {
    const { monotonic, boundMs } = options;
    const startedAt = monotonic();
    const outcome: Outcome = { settled: false, failure: undefined };
    const settled = load().then(
      (token) => {
        outcome.settled = true;
        return token;
      },
      (error: unknown) => {
        outcome.settled = true;
        outcome.failure = error;
        throw error;
      },
    );
    const flight: Flight = {
      promise: settled.finally(() => this.#clear(flight)),
      outcome,
      remainingMs: () => startedAt + boundMs - monotonic(),
      background: options.background,
    };
    this.#flight = flight;
    keepAlive(flight.promise, options.waitUntil);
    return flight.promise;
  }

  /** A joiner's wait: the load's outcome, or a new load when that one was abandoned. */
  async #join(flight: Flight, load: () => Promise<Token>, options: ShareOptions): Promise<Token> {
    let current = flight;
    for (let redone = 0; ; redone++) {
      const outcome = await watch(current);
      if (outcome !== ABANDONED) return outcome;
      this.#clear(current);
      // Bounded all the same: past the limit this caller loads for itself, unshared.
      if (redone >= REDONE_LOADS_MAX) return load();
      const next = this.#live();
      if (!next) return this.#start(load, options);
      if (!options.background) next.background = false;
      current = next;
    }
  }

  /** Forgets `flight`, but only if it is still the current one: a newer load is kept. */
  #clear(flight: Flight): void {
    if (this.#flight !== flight) return;
    this.#flight = undefined;
    if (!this.#released) this.#lifecycle = undefined;
  }

  /** Remembers a token a server rejected, so a slow store can never hand it back. */
  reject(token: Token): void {
    this.#rejected ??= new Set();
    this.#rejected.add(token.accessToken);
    if (this.#rejected.size > REJECTED_TOKENS_KEPT) {
      this.#rejected.delete(this.#rejected.values().next().value as string);
    }
  }

  /** The access tokens this key serves or recently rejected: what no error it reports may quote. */
  knownAccessTokens(): string[] {
    const known = this.#rejected ? [...this.#rejected] : [];
    if (this.#token) known.push(this.#token.accessToken);
    return known;
  }

  isRejected(token: Token): boolean {
    return this.#rejected?.has(token.accessToken) === true;
  }

  /**
   * The headers for `token`: one frozen Authorization per token, which adapters attach to every
   * request; a provider's `requestHeaders` (a DPoP proof) are added per request to `url`.
   */
  authorizationFor(
    token: Token,
    provider: TokenProvider,
    url?: string | URL,
    method = 'GET',
  ): Authorization | Promise<Authorization> {
    const shared = this.headersOf(token, provider);
    if (!provider.requestHeaders || url === undefined) return shared;
    const extra = provider.requestHeaders(token, { method, url: String(url) });
    const merge = (proof: Readonly<Record<string, string>>): Authorization => ({
      token,
      headers: { ...shared.headers, ...proof },
    });
    // WebCrypto signs asynchronously: a DPoP proof arrives as a promise.
    return isPromiseLike(extra) ? Promise.resolve(extra).then(merge) : merge(extra);
  }

  /** The Authorization every request with `token` carries (without per-request headers). */
  headersOf(token: Token, provider: TokenProvider): Authorization {
    let authorization = this.#authorization;
    if (authorization?.token !== token) {
      // Bearer unless the provider accepted another scheme for its tokens.
      const scheme = token.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : token.tokenType;
      const header = provider.tokenHeader;
      const headers = Object.freeze({
        ...provider.headers?.(token),
        ...(header
          ? { [header]: token.accessToken }
          : { Authorization: `${scheme} ${token.accessToken}` }),
      });
      authorization = Object.freeze({ token, headers });
      if (token === this.#token) this.#authorization = authorization;
    }
    return authorization;
  }

  retain(): void {
    this.#managers += 1;
  }

  /** Returns whether that was the last manager; its in-flight work is then cancelled. */
  release(reason: Error): boolean {
    this.#managers -= 1;
    if (this.#managers > 0) return false;
    this.#released = reason;
    this.#lifecycle?.abort(reason);
    return true;
  }
}

/** A promise from any realm (or library): anything with a `then` method. */
function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function isPastBound(flight: Flight): boolean {
  return !flight.outcome.settled && flight.remainingMs() <= 0;
}

/** A rejection the load itself produced (not the platform's error for an abandoned one). */
function isOwnFailure(flight: Flight, error: unknown): boolean {
  return flight.outcome.settled && flight.outcome.failure === error;
}

/**
 * Waits for `flight` from a joining caller: its token, its own failure (rethrown), or ABANDONED
 * when the platform rejects the wait instead, or the load outlives its bound. The bound is watched
 * from the joiner (the starter's timers died with its request) on a real timer, as close()'s bound
 * is: it is a safety net, and a test clock that fast-forwards its sleeps must not make a live load
 * look abandoned. A live load settles first and clears it.
 */
function watch(flight: Flight): Promise<Token | typeof ABANDONED> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(ABANDONED), clampTimer(flight.remainingMs()));
    flight.promise.then(
      (token) => {
        clearTimeout(timer);
        resolve(token);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (isOwnFailure(flight, error)) reject(error);
        else resolve(ABANDONED);
      },
    );
  });
}

/** Hands the load to the platform's `waitUntil`, if given, so its request lives until it settles. */
function keepAlive(promise: Promise<Token>, waitUntil: ShareOptions['waitUntil']): void {
  if (!waitUntil) return;
  try {
    waitUntil(promise.catch(() => {}));
  } catch {
    // Outside a request (a Worker's module scope) there is nothing to extend: the load runs as is.
  }
}
