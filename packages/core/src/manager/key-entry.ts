// Per-cache-key state shared by every manager of one store and key: only this class writes it.

import { CALL_GAP_HORIZON_MS, LATENCY_SAMPLES, REJECTED_TOKENS_KEPT } from '../options/settings.ts';
import { BackgroundRefresh, type Observed } from '../refresh/refresh-policy.ts';
import type { Authorization, Token, TokenProvider } from '../types.ts';
import { SingleFlight } from './single-flight.ts';

/**
 * The token this process serves for a key (the L1 in front of the store), the tokens a server
 * rejected, and what the adaptive refresh is derived from; the one load in flight and the
 * managers holding the key are its `SingleFlight` part.
 */
export class KeyEntry extends SingleFlight {
  #token: Token | undefined;
  #jitter = 0;
  /** Created with the first rejection: most keys never see one. */
  #rejected: Set<string> | undefined;
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
  #lastCallAt: number | undefined;
  #callGap = 0;
  #callGapAt = 0;
  /** Bumped whenever `observed` changes, so the hot path's deadlines are worked out again. */
  #observations = 0;
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

  /** How many times `observed` changed or a token was adopted: a Hot made before is out of date. */
  get observations(): number {
    return this.#observations;
  }

  /** What the adaptive refresh window is derived from. */
  get observed(): Observed {
    return {
      latencyMs: Math.max(this.#latencyMax, this.#latencyMaxBefore),
      callGapMs: this.#callGap,
    };
  }

  /**
   * Notes a call at `now` (ms): the longest gap between calls within the last lifetime of `token`
   * (without one, CALL_GAP_HORIZON_MS) is kept; two numbers, no history. The lifetime is worked
   * out only when a shorter gap needs it; returns `observations` (bench 1b′, callgrind: own
   * instructions per request).
   */
  observeCall(now: number, token: Token | undefined): number {
    const last = this.#lastCallAt;
    this.#lastCallAt = now;
    if (last === undefined || now < last) return this.#observations;
    const gap = now - last;
    const longest = this.#callGap;
    if (
      gap >= longest ||
      now - this.#callGapAt > (token ? token.expiresAt - token.issuedAt : CALL_GAP_HORIZON_MS)
    ) {
      if (gap !== longest) this.#observations += 1;
      this.#callGap = gap;
      this.#callGapAt = now;
    }
    return this.#observations;
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
    // One number tells the hot path its Hot is out of date (bench 1b′, callgrind).
    this.#observations += 1;
    this.#background?.succeeded();
  }

  /** Stops serving the token, but only if it is still `token`: a newer one is kept. */
  drop(token: Token): boolean {
    if (this.#token?.accessToken !== token.accessToken) return false;
    this.#token = undefined;
    return true;
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
}

/** A promise from any realm (or library): anything with a `then` method. */
function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
