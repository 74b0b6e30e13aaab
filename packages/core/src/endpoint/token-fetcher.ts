// One token fetch: the rate gate, then attempts with a deadline each, retries with back-off, and one terminal event per attempt.

import {
  EndpointDownError,
  InvalidTokenResponseError,
  isAuthwireError,
  RateLimitedError,
  TokenEndpointError,
} from '../errors/errors.ts';
import { asError } from '../errors/redact.ts';
import type { KeyEntry } from '../manager/key-entry.ts';
import { asAbortError, deadline } from '../manager/waiting.ts';
import type { Emitter } from '../observe/events.ts';
import { clampTimer, OUTAGE_BACKOFF_MAX_MS, type Settings } from '../options/settings.ts';
import { backoffDelay } from '../rate-limit/backoff.ts';
import { downFor, failed, type OutageScope, recovered } from '../rate-limit/endpoint-outage.ts';
import { admit, blockedFor, onRateLimited } from '../rate-limit/rate-gate.ts';
import { arrivedExpired } from '../refresh/refresh-policy.ts';
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
    const outage = this.#outageScope();
    // Whether the endpoint was seen down during this fetch: its success then ends the streak.
    let sawOutage = false;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw asAbortError(signal.reason);
      if (attempt === 1) sawOutage = await this.#waitOutOutage(outage, current, background);
      await this.#admit(background, signal);
      const info: TokenRequestInfo = { label, reason, attempt, background };
      events.emit({ type: 'token_request', ...info });
      const started = this.#monotonic();
      try {
        const token = await this.#attempt(info, current);
        if (sawOutage) await recovered(outage);
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
        // A 5xx or no answer marks the endpoint down for the fleet, even when this was the last
        // attempt: the next fetch (here or in another process) waits for the mark, it does not resend.
        const outageMs = isOutage(error) && !signal.aborted ? await this.#markDown(outage) : 0;
        sawOutage ||= outageMs > 0;
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

  #outageScope(): OutageScope {
    const { provider, store, onStoreError } = this.#deps;
    return {
      store,
      limit: provider.rateLimit,
      cacheKey: provider.key,
      now: this.#monotonic,
      onStoreError,
    };
  }

  /**
   * Before the first attempt: an endpoint marked down (by this process or another's failed
   * attempts) is not tried before its mark runs out. A refresh whose old token is still valid and
   * a background refresh do not wait: they fail at once and the old token is served. Callers
   * without a token wait for the mark when it ends within `maxRetryAfterMs`.
   */
  async #waitOutOutage(
    outage: OutageScope,
    current: Token | undefined,
    background: boolean,
  ): Promise<boolean> {
    const { clock, entry, label, settings } = this.#deps;
    const downMs = await downFor(outage);
    if (downMs <= 0) return false;
    if (
      keepsOldToken(current, background, clock.now(), settings) ||
      downMs > settings.maxRetryAfterMs
    ) {
      throw new EndpointDownError(label, downMs);
    }
    await sleep(clock, downMs, entry.signal);
    return true;
  }

  /** Marks the endpoint down for the next back-off of its streak; the ms until the next attempt. */
  #markDown(outage: OutageScope): Promise<number> {
    const { clock, settings } = this.#deps;
    return failed(outage, {
      baseMs: settings.retryBaseDelayMs,
      maxMs: Math.min(settings.retryMaxDelayMs, OUTAGE_BACKOFF_MAX_MS),
      random: clock.random(),
    });
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
    if (outageMs > 0) return outageMs;
    return backoffDelay(
      attempt,
      settings.retryBaseDelayMs,
      settings.retryMaxDelayMs,
      clock.random(),
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

/** A failure that says the endpoint is down (5xx, no answer, a timeout), not that it refused us. */
function isOutage(error: unknown): boolean {
  return !(error instanceof RateLimitedError) && isRetryable(error);
}

/** A background refresh, or a refresh whose old token is still valid: the old token is served meanwhile. */
function keepsOldToken(
  current: Token | undefined,
  background: boolean,
  now: number,
  settings: Settings,
): boolean {
  return background || (current !== undefined && !arrivedExpired(current, now, settings));
}

function isRetryable(error: unknown): boolean {
  if (error instanceof TokenEndpointError) return error.retryable;
  return isAuthwireError(error) && error.code === 'timeout';
}
