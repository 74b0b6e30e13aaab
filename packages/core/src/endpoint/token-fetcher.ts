// One token fetch: the rate gate, then attempts with a deadline each, retries with back-off, and one terminal event per attempt.

import {
  InvalidTokenResponseError,
  isAuthwireError,
  RateLimitedError,
  TimeoutError,
  TokenEndpointError,
} from '../errors/errors.ts';
import { asError, queryValues, tokenSecrets } from '../errors/redact.ts';
import type { KeyEntry } from '../manager/key-entry.ts';
import { asAbortError, deadline } from '../manager/waiting.ts';
import type { Emitter } from '../observe/events.ts';
import {
  clampTimer,
  MIN_ATTEMPT_MS,
  type Settings,
  STORE_TIMEOUT_MS,
} from '../options/settings.ts';
import { backoffDelay } from '../rate-limit/backoff.ts';
import { FetchOutage } from '../rate-limit/endpoint-outage.ts';
import { admit, blockedFor, onRateLimited } from '../rate-limit/rate-gate.ts';
import { arrivedExpired } from '../refresh/refresh-policy.ts';
import { providerState } from '../store/provider-state.ts';
import type {
  Clock,
  FetchContext,
  FetchReason,
  RateLimit,
  Token,
  TokenProvider,
  TokenRequestInfo,
  TokenRequestWrapper,
  TokenStore,
} from '../types.ts';
import { Budget } from './fetch-budget.ts';
import { sendRequest, sendTokenRequest } from './token-request.ts';
import { validateToken } from './token-response.ts';

export interface FetcherDeps {
  readonly provider: TokenProvider;
  /** The provider's declared limit as checked at construction (never re-read from the provider). */
  readonly rateLimit: RateLimit | undefined;
  readonly label: string;
  readonly store: TokenStore;
  readonly clock: Clock;
  /** The manager's monotonic milliseconds (`elapsed(clock)`). */
  readonly monotonic: () => number;
  readonly fetch: typeof fetch | undefined;
  readonly settings: Settings;
  readonly entry: KeyEntry;
  readonly events: Pick<Emitter, 'emit'>;
  readonly wrappers: ReadonlySet<TokenRequestWrapper> | undefined;
  readonly onStoreError: (operation: string, error: unknown) => void;
}

/** What a provider gets to send its requests with. */
export type SendContext = Omit<FetchContext, 'reason' | 'current'>;

export class TokenFetcher {
  readonly #deps: FetcherDeps;
  readonly #monotonic: () => number;
  /** Query values of the URLs this fetch's provider sent to (`?code=…`): secrets like any other. */
  #queryValues: readonly string[] = [];

  constructor(deps: FetcherDeps) {
    this.#deps = deps;
    this.#monotonic = deps.monotonic;
  }

  /** What a provider sends its requests with, bounded by `signal`. */
  context(signal: AbortSignal): SendContext {
    const { clock, provider, settings } = this.#deps;
    const given = this.#deps.fetch;
    const options = {
      fetch:
        given ??
        ((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init)),
      now: () => clock.now(),
      signal,
      secrets: provider.secrets ?? [],
      defaultLifetimeMs: settings.defaultLifetimeMs,
      defaultRetryAfterMs: settings.defaultRetryAfterMs,
      maxResponseBytes: settings.maxResponseBytes,
      hostNotFoundHint: provider.hostNotFoundHint,
    };
    return {
      signal,
      request: (request) => sendTokenRequest(this.#sending(request), options),
      send: (request) => sendRequest(this.#sending(request), options),
      now: options.now,
      state: providerState(
        this.#deps.store,
        provider.key,
        Math.min(STORE_TIMEOUT_MS, settings.requestTimeoutMs),
        this.#deps.entry,
        options.now,
        this.#deps.onStoreError,
      ),
    };
  }

  /** Remembers the query values of a URL the provider sends to, for `#secrets`. */
  #sending<R extends { readonly url: string }>(request: R): R {
    const values = typeof request?.url === 'string' ? queryValues(request.url) : [];
    if (values.length > 0) this.#queryValues = [...new Set([...this.#queryValues, ...values])];
    return request;
  }

  /** Ends the session of `token` at the provider (e.g. Oracle's /logout); best effort, never throws. */
  async revoke(token: Token): Promise<void> {
    const { clock, provider, settings } = this.#deps;
    const timeout = deadline(clock, settings.requestTimeoutMs, 'Token revocation');
    try {
      await raceSignal(
        Promise.resolve(provider.revoke?.(token, this.context(timeout.signal))),
        timeout.signal,
      );
    } catch {
      // Best effort: the token expires on its own.
    } finally {
      timeout.dispose();
    }
  }

  /** One token: admitted by the rate gate, retried on 5xx/timeouts/short 429s, validated. */
  async fetch(
    reason: FetchReason,
    current: Token | undefined,
    background: boolean,
  ): Promise<Token> {
    const { entry, events, label, settings, clock } = this.#deps;
    const signal = entry.signal;
    const budget = new Budget(this.#monotonic, settings.tokenTimeoutMs);
    const outage = new FetchOutage(this.#deps);
    // A mark is waited out inside the budget, leaving an attempt its time.
    await outage.waitOut(
      current,
      background,
      budget.left() - Math.min(MIN_ATTEMPT_MS, settings.requestTimeoutMs),
    );
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw asAbortError(signal.reason);
      await this.#admit(background, signal, budget);
      if (budget.left() <= 0) throw budget.spent(label, attempt - 1, settings);
      const info: TokenRequestInfo = { label, reason, attempt, background };
      events.emit({ type: 'token_request', ...info });
      const started = this.#monotonic();
      try {
        const token = await this.#attempt(info, current, budget.left());
        await outage.succeeded();
        const durationMs = this.#monotonic() - started;
        entry.observeLatency(durationMs);
        events.emit({
          type: 'token_acquired',
          ...info,
          durationMs,
          expiresAt: token.expiresAt,
          expiresInMs: token.expiresAt - clock.now(),
        });
        return token;
      } catch (caught) {
        let error = signal.aborted
          ? asAbortError(signal.reason)
          : asError(caught, this.#secrets(current));
        const outageMs = signal.aborted ? 0 : await outage.failed(error);
        const retryInMs = signal.aborted
          ? undefined
          : this.#retryDelay(error, attempt, budget, outageMs);
        const willRetry =
          retryInMs !== undefined &&
          attempt < settings.maxAttempts &&
          budget.fits(retryInMs, settings.requestTimeoutMs);
        // A timeout that ends the fetch says what the whole fetch spent (time waited, attempts
        // made), not what the last attempt did.
        if (!willRetry && error instanceof TimeoutError && !signal.aborted) {
          error = budget.spent(label, attempt, settings);
        }
        const { status, code } = error as { status?: unknown; code?: unknown };
        events.emit({
          type: 'token_request_failed',
          ...info,
          durationMs: this.#monotonic() - started,
          error,
          code: typeof code === 'string' ? code : 'error',
          ...(typeof status === 'number' ? { status } : {}),
          willRetry,
          ...(willRetry ? { retryInMs } : {}),
        });
        if (!willRetry) throw error;
        await sleep(clock, retryInMs as number, signal);
      }
    }
  }

  /**
   * What an error of this fetch must not quote: the provider's secrets, the token it refreshes and
   * every token the key serves or recently rejected.
   */
  #secrets(current: Token | undefined): readonly string[] {
    const { provider, entry } = this.#deps;
    return [
      ...(provider.secrets ?? []),
      ...tokenSecrets(current),
      ...entry.knownAccessTokens(),
      ...this.#queryValues,
    ];
  }

  /** Waits for the rate gate (a 429's Retry-After, the declared limit) or fails fast. */
  async #admit(background: boolean, signal: AbortSignal, budget: Budget): Promise<void> {
    const { events, label, provider, rateLimit, settings, store, clock, onStoreError } = this.#deps;
    // A wait must leave time for the request it waits for.
    const left = Math.max(0, budget.left() - Math.min(MIN_ATTEMPT_MS, settings.requestTimeoutMs));
    const admission = await admit({
      store,
      limit: rateLimit,
      cacheKey: provider.key,
      now: this.#monotonic(),
      maxBlockWaitMs: background ? 0 : Math.min(left, settings.maxRetryAfterMs),
      // Callers are served in order under the declared limit, each for as long as a request may take.
      maxSlotWaitMs: background
        ? 0
        : Math.min(left, Math.max(settings.maxRetryAfterMs, settings.requestTimeoutMs)),
      background,
      onStoreError,
    });
    if (!admission.admitted) {
      const { retryAfterMs, source } = admission;
      events.emit({ type: 'rate_limited', label, source, waitMs: retryAfterMs, willWait: false });
      throw new RateLimitedError(label, retryAfterMs);
    }
    if (admission.waitMs > 0) {
      events.emit({
        type: 'rate_limited',
        label,
        source: admission.source,
        waitMs: admission.waitMs,
        willWait: true,
      });
      await sleep(clock, admission.waitMs, signal);
    }
  }

  /** How long to wait before the next attempt, or undefined when this error is final. */
  #retryDelay(error: Error, attempt: number, budget: Budget, outageMs: number): number | undefined {
    const { events, label, settings, clock } = this.#deps;
    if (error instanceof RateLimitedError) {
      const { provider, rateLimit, store } = this.#deps;
      onRateLimited(store, rateLimit, provider.key, this.#monotonic(), error.retryAfterMs);
      const waitMs = blockedFor(store, rateLimit, provider.key, this.#monotonic());
      const willWait =
        waitMs <= settings.maxRetryAfterMs &&
        attempt < settings.maxAttempts &&
        budget.fits(waitMs, settings.requestTimeoutMs);
      events.emit({ type: 'rate_limited', label, source: 'server', waitMs, willWait });
      return willWait ? waitMs : undefined;
    }
    if (!isRetryable(error)) return undefined;
    return (
      // The endpoint's mark (the fleet's pace) or this fetch's own back-off, whichever is longer.
      Math.max(
        outageMs,
        backoffDelay(attempt, settings.retryBaseDelayMs, settings.retryMaxDelayMs, clock.random()),
      )
    );
  }

  /** One attempt under its own deadline; the provider's answer is validated like a token response. */
  async #attempt(
    info: TokenRequestInfo,
    current: Token | undefined,
    budgetLeftMs: number,
  ): Promise<Token> {
    const { entry, provider, settings, clock, label, wrappers } = this.#deps;
    const lifecycle = entry.signal;
    const timeoutMs = Math.min(settings.requestTimeoutMs, budgetLeftMs);
    const attempt = deadline(clock, timeoutMs, 'Token request', lifecycle);
    const run = async (): Promise<Token> => {
      const context: FetchContext = {
        ...this.context(attempt.signal),
        reason: info.reason,
        ...(current ? { current } : {}),
      };
      // A provider that ignores its signal must not hold the caller: the deadline wins the race.
      // What it throws is scrubbed before any wrapper (a span) or caller sees it.
      const answer = await raceSignal(
        (async () => provider.fetchToken(context))(),
        attempt.signal,
      ).catch((error: unknown) => {
        throw attempt.signal.aborted ? error : asError(error, this.#secrets(current));
      });
      const token = validateToken(
        answer,
        label,
        provider.tokenTypes ? { tokenTypes: provider.tokenTypes } : {},
      );
      if (arrivedExpired(token, clock.now(), settings)) {
        throw new InvalidTokenResponseError(
          label,
          200,
          'the token expired before the response arrived',
        );
      }
      return token;
    };
    try {
      return await (wrappers?.size ? wrap(wrappers, info, run) : run());
    } catch (error) {
      throw attempt.signal.aborted && !lifecycle.aborted ? attempt.signal.reason : error;
    } finally {
      attempt.dispose();
    }
  }
}

/** Runs `run` inside every instrumentation wrapper; a misbehaving wrapper cannot change the result. */
async function wrap(
  wrappers: ReadonlySet<TokenRequestWrapper>,
  info: TokenRequestInfo,
  run: () => Promise<Token>,
): Promise<Token> {
  let inner = run;
  for (const wrapper of wrappers) {
    const next = inner;
    let result: Promise<Token> | undefined;
    const once = (): Promise<Token> => {
      result ??= next();
      return result;
    };
    inner = async () => {
      try {
        await wrapper(info, once);
      } catch {
        // The wrapper's own failure is ignored; run's result decides.
      }
      return once();
    };
  }
  return inner();
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(promise).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return clock.sleep(clampTimer(ms), signal).catch((reason: unknown) => {
    throw asAbortError(reason);
  });
}

function isRetryable(error: unknown): boolean {
  if (error instanceof TokenEndpointError) return error.retryable;
  return isAuthwireError(error) && error.code === 'timeout';
}
