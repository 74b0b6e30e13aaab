// Token requests: retries with back-off, 429s, the declared rate limit, per-request timeouts.
import { asAbortError } from './abort.ts';
import { backoffDelay } from './backoff.ts';
import { deadline } from './deadline.ts';
import { isAuthwireError, RateLimitedError, TokenEndpointError } from './errors.ts';
import { type KeyState, rateBucket } from './key-state.ts';
import type { Settings } from './settings.ts';
import { sendRequest, sendTokenRequest } from './token-request.ts';
import type {
  Clock,
  FetchContext,
  FetchReason,
  Token,
  TokenEvent,
  TokenProvider,
  TokenStore,
} from './types.ts';

export interface FetcherDeps {
  readonly key: string;
  readonly provider: TokenProvider;
  readonly store: TokenStore;
  readonly clock: Clock;
  readonly fetch: typeof fetch | undefined;
  readonly settings: Settings;
  readonly state: KeyState;
  readonly emit: (event: TokenEvent) => void;
}

export class TokenFetcher {
  readonly #deps: FetcherDeps;

  constructor(deps: FetcherDeps) {
    this.#deps = deps;
  }

  /** One token, with back-off on 5xx/timeouts, honouring 429s and the declared rate limit. */
  async fetch(reason: FetchReason, current: Token | undefined): Promise<Token> {
    const { maxAttempts, retryBaseDelayMs, retryMaxDelayMs, maxRetryAfterMs } = this.#deps.settings;
    const state = this.#deps.state;
    const signal = state.lifecycle.signal;
    const endpointLabel = `token endpoint for ${this.#deps.key}`;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw asAbortError(signal.reason);
      await this.#waitForRateLimit(endpointLabel, signal);
      try {
        return await this.#fetchOnce(reason, current);
      } catch (error) {
        if (signal.aborted) throw asAbortError(signal.reason);
        let delayMs: number;
        if (error instanceof RateLimitedError) {
          state.blockedUntil = this.#deps.clock.now() + error.retryAfterMs;
          this.#deps.emit({
            type: 'rate_limited',
            key: this.#deps.key,
            retryAfterMs: error.retryAfterMs,
          });
          if (error.retryAfterMs > maxRetryAfterMs) throw error;
          delayMs = error.retryAfterMs;
        } else if (isRetryable(error)) {
          delayMs = backoffDelay(
            attempt,
            retryBaseDelayMs,
            retryMaxDelayMs,
            this.#deps.clock.random(),
          );
        } else {
          throw error;
        }
        if (attempt >= maxAttempts) throw error;
        this.#deps.emit({
          type: 'token_request_retry',
          key: this.#deps.key,
          attempt,
          delayMs,
          error: error as Error,
        });
        await this.#deps.clock.sleep(delayMs, signal).catch((reason: unknown) => {
          throw asAbortError(reason);
        });
      }
    }
  }

  /** Honours an earlier 429 and the provider's declared rate limit before any token request. */
  async #waitForRateLimit(endpoint: string, signal: AbortSignal): Promise<void> {
    const { maxRetryAfterMs } = this.#deps.settings;
    const bucket = this.#deps.provider.rateLimit
      ? rateBucket(this.#deps.store, this.#deps.provider.rateLimit)
      : undefined;
    for (;;) {
      const now = this.#deps.clock.now();
      const blocked = Math.max(0, this.#deps.state.blockedUntil - now);
      const wait = blocked > 0 ? blocked : (bucket?.take(now) ?? 0);
      if (wait === 0) return;
      if (wait > maxRetryAfterMs) {
        this.#deps.emit({ type: 'rate_limited', key: this.#deps.key, retryAfterMs: wait });
        throw new RateLimitedError(endpoint, wait);
      }
      await this.#deps.clock.sleep(wait, signal).catch((reason: unknown) => {
        throw asAbortError(reason);
      });
    }
  }

  async #fetchOnce(reason: FetchReason, current: Token | undefined): Promise<Token> {
    const lifecycle = this.#deps.state.lifecycle.signal;
    const attempt = deadline(
      this.#deps.clock,
      this.#deps.settings.requestTimeoutMs,
      'Token request',
      lifecycle,
    );
    try {
      return await this.#deps.provider.fetchToken({
        ...this.context(attempt.signal),
        reason,
        ...(current ? { current } : {}),
      });
    } catch (error) {
      throw attempt.signal.aborted && !lifecycle.aborted ? attempt.signal.reason : error;
    } finally {
      attempt.dispose();
    }
  }

  /** What a provider gets to send its requests with. */
  context(signal: AbortSignal): Omit<FetchContext, 'reason' | 'current'> {
    const options = {
      fetch:
        this.#deps.fetch ??
        ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)),
      now: () => this.#deps.clock.now(),
      signal,
      secrets: this.#deps.provider.secrets ?? [],
      defaultLifetimeMs: this.#deps.settings.defaultLifetimeMs,
      defaultRetryAfterMs: this.#deps.settings.defaultRetryAfterMs,
    };
    return {
      signal,
      request: (request) => sendTokenRequest(request, options),
      send: (request) => sendRequest(request, options),
    };
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof TokenEndpointError) return error.retryable;
  return isAuthwireError(error) && error.code === 'timeout';
}
