// Per-cache-key state shared by every manager of one store and key: only this class writes it.
import { BackgroundRefresh } from './background-refresh.ts';
import { RateGate } from './rate-gate.ts';
import { REJECTED_TOKENS_KEPT } from './settings.ts';
import type { Authorization, Token, TokenProvider } from './types.ts';

/**
 * The token this process serves for a key (the L1 in front of the store), the one fetch in flight
 * (single-flight), the tokens a server rejected, and how many open managers use it.
 */
export class KeyEntry {
  #token: Token | undefined;
  #jitter = 0;
  #inflight: Promise<Token> | undefined;
  #inflightBackground = false;
  readonly #rejected = new Set<string>();
  #managers = 0;
  #lifecycle = new AbortController();
  readonly #authorizations = new WeakMap<Token, Authorization>();
  /** 429 blocking and the declared rate limit, for this key. */
  readonly gate: RateGate = new RateGate();
  /** The back-off of this key's refresh-ahead. */
  readonly background: BackgroundRefresh = new BackgroundRefresh();

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
    return this.#lifecycle.signal;
  }

  get inflight(): Promise<Token> | undefined {
    return this.#inflight;
  }

  /** Whether the fetch in flight is a refresh-ahead nobody waits for (yet). */
  get inflightIsBackground(): boolean {
    return this.#inflight !== undefined && this.#inflightBackground;
  }

  get managers(): number {
    return this.#managers;
  }

  /** Serves `token` from now on, with a new jitter. */
  adopt(token: Token, jitter: number): void {
    this.#token = token;
    this.#jitter = jitter;
  }

  /** Stops serving the token, but only if it is still `token`: a newer one is kept. */
  drop(token: Token): boolean {
    if (this.#token?.accessToken !== token.accessToken) return false;
    this.#token = undefined;
    return true;
  }

  /** Single-flight: the fetch in flight, or `load()` started as the one every caller shares. */
  share(load: () => Promise<Token>, background: boolean): Promise<Token> {
    if (this.#inflight) {
      if (!background) this.#inflightBackground = false;
      return this.#inflight;
    }
    const inflight = load().finally(() => {
      if (this.#inflight === inflight) this.#inflight = undefined;
    });
    this.#inflight = inflight;
    this.#inflightBackground = background;
    return inflight;
  }

  /** Remembers a token a server rejected, so a slow store can never hand it back. */
  reject(token: Token): void {
    this.#rejected.add(token.accessToken);
    if (this.#rejected.size > REJECTED_TOKENS_KEPT) {
      this.#rejected.delete(this.#rejected.values().next().value as string);
    }
  }

  isRejected(token: Token): boolean {
    return this.#rejected.has(token.accessToken);
  }

  /** One frozen Authorization per token: adapters attach the same object on every request. */
  authorizationFor(token: Token, provider: TokenProvider): Authorization {
    let authorization = this.#authorizations.get(token);
    if (!authorization) {
      // Bearer unless the provider accepted another scheme for its tokens.
      const scheme = token.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : token.tokenType;
      const headers = Object.freeze({
        ...provider.headers?.(token),
        Authorization: `${scheme} ${token.accessToken}`,
      });
      authorization = Object.freeze({ token, headers });
      this.#authorizations.set(token, authorization);
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
    this.#lifecycle.abort(reason);
    return true;
  }
}
