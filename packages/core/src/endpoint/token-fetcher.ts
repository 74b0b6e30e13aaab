// One token fetch: the rate gate, then attempts with a deadline each, retries with back-off, and one terminal event per attempt.

import {
  InvalidTokenResponseError,
  isAuthwireError,
  RateLimitedError,
  TokenEndpointError,
} from '../errors/errors.ts';
import { asError } from '../errors/redact.ts';
import type { KeyEntry } from '../manager/key-entry.ts';
import { asAbortError, deadline } from '../manager/waiting.ts';
import type { Emitter } from '../observe/events.ts';
import { clampTimer, type Settings, STORE_TIMEOUT_MS } from '../options/settings.ts';
import { backoffDelay } from '../rate-limit/backoff.ts';
import { FetchOutage } from '../rate-limit/endpoint-outage.ts';
import { admit, blockedFor, onRateLimited } from '../rate-limit/rate-gate.ts';
import { arrivedExpired } from '../refresh/refresh-policy.ts';
import { providerState } from '../store/provider-state.ts';
import type {
  Clock,
  FetchContext,
  FetchReason,
  Token,
  TokenProvider,
  TokenRequestInfo,
  TokenRequestWrapper,
  TokenStore,
} from '../types.ts';
import { sendRequest, sendTokenRequest } from './token-request.ts';
import { validateToken } from './token-response.ts';

export interface FetcherDeps {
  readonly provider: TokenProvider;
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
    };
    return {
      signal,
      request: (request) => sendTokenRequest(request, options),
      send: (request) => sendRequest(request, options),
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
    const outage = new FetchOutage(this.#deps);
    await outage.waitOut(current, background);
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw asAbortError(signal.reason);
      await this.#admit(background, signal);
      const info: TokenRequestInfo = { label, reason, attempt, background };
      events.emit({ type: 'token_request', ...info });
      const started = this.#monotonic();
      try {
        const token = await this.#attempt(info, current);
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
        const error = signal.aborted
          ? asAbortError(signal.reason)
          : asError(caught, this.#deps.provider.secrets ?? []);
        const outageMs = signal.aborted ? 0 : await outage.failed(error);
        const retryInMs = signal.aborted ? undefined : this.#retryDelay(error, attempt, outageMs);
        const willRetry = retryInMs !== undefined && attempt < settings.maxAttempts;
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

  /** Waits for the rate gate (a 429's Retry-After, the declared limit) or fails fast. */
  async #admit(background: boolean, signal: AbortSignal): Promise<void> {
    const { events, label, provider, settings, store, clock, onStoreError } = this.#deps;
    const admission = await admit({
      store,
      limit: provider.rateLimit,
      cacheKey: provider.key,
      now: this.#monotonic(),
      maxBlockWaitMs: background ? 0 : settings.maxRetryAfterMs,
      // Callers are served in order under the declared limit, each for as long as a request may take.
      maxSlotWaitMs: background ? 0 : Math.max(settings.maxRetryAfterMs, settings.requestTimeoutMs),
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
  #retryDelay(error: Error, attempt: number, outageMs: number): number | undefined {
    const { events, label, settings, clock } = this.#deps;
    if (error instanceof RateLimitedError) {
      const { provider, store } = this.#deps;
      onRateLimited(store, provider.rateLimit, provider.key, this.#monotonic(), error.retryAfterMs);
      const waitMs = blockedFor(store, provider.rateLimit, provider.key, this.#monotonic());
      const willWait = waitMs <= settings.maxRetryAfterMs && attempt < settings.maxAttempts;
      events.emit({ type: 'rate_limited', label, source: 'server', waitMs, willWait });
      return willWait ? waitMs : undefined;
    }
    if (!isRetryable(error)) return undefined;
    return (
      outageMs ||
      backoffDelay(attempt, settings.retryBaseDelayMs, settings.retryMaxDelayMs, clock.random())
    );
  }

  /** One attempt under its own deadline; the provider's answer is validated like a token response. */
  async #attempt(info: TokenRequestInfo, current: Token | undefined): Promise<Token> {
    const { entry, provider, settings, clock, label, wrappers } = this.#deps;
    const lifecycle = entry.signal;
    const attempt = deadline(clock, settings.requestTimeoutMs, 'Token request', lifecycle);
    const run = async (): Promise<Token> => {
      const context: FetchContext = {
        ...this.context(attempt.signal),
        reason: info.reason,
        ...(current ? { current } : {}),
      };
      // A provider that ignores its signal must not hold the caller: the deadline wins the race.
      const token = validateToken(
        await raceSignal(provider.fetchToken(context), attempt.signal),
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
