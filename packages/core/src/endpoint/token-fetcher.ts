// One token fetch: the rate gate, then attempts with a deadline each, retries with back-off, and one terminal event per attempt.

import { RateLimitedError, TimeoutError } from '../errors/errors.ts';
import { scrubError } from '../errors/redact.ts';
import type { KeyEntry } from '../manager/key-entry.ts';
import { asAbortError } from '../manager/waiting.ts';
import type { Emitter } from '../observe/events.ts';
import { clampTimer, type Settings } from '../options/settings.ts';
import { FetchOutage } from '../rate-limit/endpoint-outage.ts';
import { admit } from '../rate-limit/rate-gate.ts';
import type {
  Clock,
  FetchReason,
  RateLimit,
  Token,
  TokenProvider,
  TokenRequestInfo,
  TokenRequestWrapper,
  TokenStore,
} from '../types.ts';
import { Budget } from './fetch-budget.ts';
import { ProviderCalls } from './provider-calls.ts';
import { retryDelay } from './retry-decision.ts';

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

/** The attempt loop of one load, over its calls into the provider (`revoke` included). */
export class TokenFetcher extends ProviderCalls {
  readonly #deps: FetcherDeps;

  constructor(deps: FetcherDeps) {
    super(deps);
    this.#deps = deps;
  }

  /** One token: admitted by the rate gate, retried on 5xx/timeouts/short 429s, validated. */
  async fetch(
    reason: FetchReason,
    current: Token | undefined,
    background: boolean,
  ): Promise<Token> {
    const { entry, events, label, settings, clock, monotonic } = this.#deps;
    const signal = entry.signal;
    const budget = new Budget(monotonic, settings);
    const outage = new FetchOutage(this.#deps);
    // A mark is waited out inside the budget, leaving an attempt its time.
    await outage.waitOut(current, background, budget.spare());
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw asAbortError(signal.reason);
      await this.#admit(background, signal, budget);
      if (budget.left() <= 0) throw budget.spent(label, attempt - 1);
      const info: TokenRequestInfo = { label, reason, attempt, background };
      events.emit({ type: 'token_request', ...info });
      const started = monotonic();
      try {
        const token = await this.attempt(info, current, budget.left());
        await outage.succeeded();
        const durationMs = monotonic() - started;
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
          : scrubError(caught, this.secrets(current));
        const outageMs = signal.aborted ? 0 : await outage.failed(error);
        const retryInMs = signal.aborted
          ? undefined
          : retryDelay(this.#deps, error, attempt, budget, outageMs);
        const willRetry = retryInMs !== undefined;
        // A timeout that ends the fetch says what the whole fetch spent (time waited, attempts
        // made), not what the last attempt did.
        if (!willRetry && error instanceof TimeoutError && !signal.aborted) {
          error = budget.spent(label, attempt);
        }
        const { status, code } = error as { status?: unknown; code?: unknown };
        events.emit({
          type: 'token_request_failed',
          ...info,
          durationMs: monotonic() - started,
          error,
          code: typeof code === 'string' ? code : 'error',
          ...(typeof status === 'number' ? { status } : {}),
          willRetry,
          ...(willRetry ? { retryInMs } : {}),
        });
        if (!willRetry) throw error;
        await sleep(clock, retryInMs, signal);
      }
    }
  }

  /** Waits for the rate gate (a 429's Retry-After, the declared limit) or fails fast. */
  async #admit(background: boolean, signal: AbortSignal, budget: Budget): Promise<void> {
    const { events, label, provider, rateLimit, settings, store, clock, onStoreError } = this.#deps;
    const left = Math.max(0, budget.spare());
    const admission = await admit({
      store,
      limit: rateLimit,
      cacheKey: provider.key,
      now: this.#deps.monotonic(),
      maxBlockWaitMs: background ? 0 : Math.min(left, settings.maxRetryAfterMs),
      // Callers are served in order under the declared limit, each for as long as a request may take.
      maxSlotWaitMs: background
        ? 0
        : Math.min(left, Math.max(settings.maxRetryAfterMs, settings.requestTimeoutMs)),
      background,
      onStoreError,
    });
    // Refused (the wait is longer than this fetch may take) or admitted after a wait: both reported.
    const { admitted, source } = admission;
    const waitMs = admitted ? admission.waitMs : admission.retryAfterMs;
    if (!admitted || waitMs > 0) {
      events.emit({ type: 'rate_limited', label, source, waitMs, willWait: admitted });
    }
    if (!admitted) throw new RateLimitedError(label, waitMs);
    if (waitMs > 0) await sleep(clock, waitMs, signal);
  }
}

function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return clock.sleep(clampTimer(ms), signal).catch((reason: unknown) => {
    throw asAbortError(reason);
  });
}
