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

export interface TokenFetcher {
  /** One token, with back-off on 5xx/timeouts, honouring 429s and the declared rate limit. */
  fetch(reason: FetchReason, current: Token | undefined): Promise<Token>;
  /** What a provider gets to send its requests with. */
  context(signal: AbortSignal): Omit<FetchContext, 'reason' | 'current'>;
}

export function tokenFetcher({
  key,
  provider,
  store,
  clock,
  fetch,
  settings,
  state,
  emit,
}: FetcherDeps): TokenFetcher {
  const endpoint = `token endpoint for ${key}`;
  const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    clock.sleep(ms, signal).catch((reason: unknown) => {
      throw asAbortError(reason);
    });
  const rateLimited = (retryAfterMs: number): void =>
    emit({ type: 'rate_limited', key, retryAfterMs });

  /** Honours an earlier 429 and the provider's declared rate limit before any token request. */
  const waitForRateLimit = async (signal: AbortSignal): Promise<void> => {
    const bucket = provider.rateLimit && rateBucket(store, provider.rateLimit);
    for (;;) {
      const now = clock.now();
      const blocked = Math.max(0, state.blockedUntil - now);
      const wait = blocked || (bucket ? bucket.take(now) : 0);
      if (wait === 0) return;
      if (wait > settings.maxRetryAfterMs) {
        rateLimited(wait);
        throw new RateLimitedError(endpoint, wait);
      }
      await sleep(wait, signal);
    }
  };

  const context = (signal: AbortSignal): Omit<FetchContext, 'reason' | 'current'> => {
    const options = {
      fetch:
        fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)),
      now: () => clock.now(),
      signal,
      secrets: provider.secrets ?? [],
      defaultLifetimeMs: settings.defaultLifetimeMs,
      defaultRetryAfterMs: settings.defaultRetryAfterMs,
    };
    return {
      signal,
      request: (request) => sendTokenRequest(request, options),
      send: (request) => sendRequest(request, options),
    };
  };

  const fetchOnce = async (reason: FetchReason, current: Token | undefined): Promise<Token> => {
    const lifecycle = state.lifecycle.signal;
    const attempt = deadline(clock, settings.requestTimeoutMs, 'Token request', lifecycle);
    try {
      return await provider.fetchToken({
        ...context(attempt.signal),
        reason,
        ...(current ? { current } : {}),
      });
    } catch (error) {
      throw attempt.signal.aborted && !lifecycle.aborted ? attempt.signal.reason : error;
    } finally {
      attempt.dispose();
    }
  };

  return {
    context,
    async fetch(reason, current) {
      const signal = state.lifecycle.signal;
      for (let attempt = 1; ; attempt++) {
        if (signal.aborted) throw asAbortError(signal.reason);
        await waitForRateLimit(signal);
        try {
          return await fetchOnce(reason, current);
        } catch (error) {
          if (signal.aborted) throw asAbortError(signal.reason);
          let delayMs: number;
          if (error instanceof RateLimitedError) {
            state.blockedUntil = clock.now() + error.retryAfterMs;
            rateLimited(error.retryAfterMs);
            if (error.retryAfterMs > settings.maxRetryAfterMs) throw error;
            delayMs = error.retryAfterMs;
          } else if (isRetryable(error)) {
            delayMs = backoffDelay(
              attempt,
              settings.retryBaseDelayMs,
              settings.retryMaxDelayMs,
              clock.random(),
            );
          } else {
            throw error;
          }
          if (attempt >= settings.maxAttempts) throw error;
          emit({ type: 'token_request_retry', key, attempt, delayMs, error: error as Error });
          await sleep(delayMs, signal);
        }
      }
    },
  };
}

function isRetryable(error: unknown): boolean {
  if (error instanceof TokenEndpointError) return error.retryable;
  return isAuthwireError(error) && error.code === 'timeout';
}
