// One token fetch: its budget, the rate gate, attempts with a deadline each, retries with back-off, and one terminal event per attempt.

import { RateLimitedError, TimeoutError } from '../errors/errors.ts';
import { scrubError } from '../errors/redact.ts';
import type { KeyEntry } from '../manager/key-entry.ts';
import { asAbortError } from '../manager/waiting.ts';
import type { Emitter } from '../observe/events.ts';
import { clampTimer, MIN_ATTEMPT_MS, type Settings } from '../options/settings.ts';
import { backoffDelay } from '../rate-limit/backoff.ts';
import { FetchOutage, isOutage } from '../rate-limit/endpoint-outage.ts';
import { admit, blockedFor, onRateLimited } from '../rate-limit/rate-gate.ts';
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
import { providerCalls } from './provider-calls.ts';

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
export function tokenFetcher(deps: FetcherDeps): {
  fetch(reason: FetchReason, current: Token | undefined, background: boolean): Promise<Token>;
  revoke(token: Token): Promise<void>;
} {
  const { entry, events, label, settings, clock, monotonic, provider, rateLimit, store } = deps;
  const calls = providerCalls(deps);
  const sleep = (ms: number): Promise<void> =>
    clock.sleep(clampTimer(ms), entry.signal).catch((reason: unknown) => {
      throw asAbortError(reason);
    });

  /** One token: admitted by the rate gate, retried on 5xx/timeouts/short 429s, validated. */
  const fetch = async (
    reason: FetchReason,
    current: Token | undefined,
    background: boolean,
  ): Promise<Token> => {
    const { signal } = entry;
    // The budget of the whole fetch (tokenTimeoutMs), on the monotonic clock: an attempt gets at
    // most what is left, a wait (a mark, the rate gate, a back-off) only what leaves the next
    // attempt its time (a second, or requestTimeoutMs if shorter).
    const started = monotonic();
    const left = (): number => settings.tokenTimeoutMs - (monotonic() - started);
    const spare = (): number => left() - Math.min(MIN_ATTEMPT_MS, settings.requestTimeoutMs);
    /** The error of a fetch that ran out: the time waited and the attempts made. */
    const spent = (attempts: number): TimeoutError =>
      new TimeoutError(`Token request to ${label}`, monotonic() - started, {
        attempts,
        requestTimeoutMs: settings.requestTimeoutMs,
        tokenTimeoutMs: settings.tokenTimeoutMs,
      });

    /**
     * The wait before the next attempt, or undefined when `error` ends the fetch: it is final,
     * the attempts are used up, or the wait would not leave the next attempt its time. A 429
     * blocks the endpoint for its Retry-After (a `rate_limited` event says whether this fetch
     * waits it out); other retries wait out the endpoint's outage mark (`outageMs`, the fleet's
     * pace) or this fetch's own back-off, whichever is longer.
     */
    const retryDelay = (error: Error, attempt: number, outageMs: number): number | undefined => {
      const fits = (ms: number): boolean => attempt < settings.maxAttempts && ms <= spare();
      if (error instanceof RateLimitedError) {
        onRateLimited(store, rateLimit, provider.key, monotonic(), error.retryAfterMs);
        const waitMs = blockedFor(store, rateLimit, provider.key, monotonic());
        const willWait = waitMs <= settings.maxRetryAfterMs && fits(waitMs);
        events.emit({ type: 'rate_limited', label, source: 'server', waitMs, willWait });
        return willWait ? waitMs : undefined;
      }
      // A 5xx or network failure the endpoint may recover from, or an attempt that timed out.
      if (!isOutage(error)) return undefined;
      const { retryBaseDelayMs, retryMaxDelayMs } = settings;
      const delayMs = Math.max(
        outageMs,
        backoffDelay(attempt, retryBaseDelayMs, retryMaxDelayMs, clock.random()),
      );
      return fits(delayMs) ? delayMs : undefined;
    };

    /** Waits for the rate gate (a 429's Retry-After, the declared limit) or fails fast. */
    const passGate = async (): Promise<void> => {
      const wait = Math.max(0, spare());
      const admission = await admit({
        store,
        limit: rateLimit,
        cacheKey: provider.key,
        now: monotonic(),
        maxBlockWaitMs: background ? 0 : Math.min(wait, settings.maxRetryAfterMs),
        // Callers are served in order under the declared limit, each as long as a request may take.
        maxSlotWaitMs: background
          ? 0
          : Math.min(wait, Math.max(settings.maxRetryAfterMs, settings.requestTimeoutMs)),
        background,
        onStoreError: deps.onStoreError,
      });
      // Refused (the wait is longer than this fetch may take) or admitted after a wait: reported.
      const { admitted, source } = admission;
      const waitMs = admitted ? admission.waitMs : admission.retryAfterMs;
      if (!admitted || waitMs > 0) {
        events.emit({ type: 'rate_limited', label, source, waitMs, willWait: admitted });
      }
      if (!admitted) throw new RateLimitedError(label, waitMs);
      if (waitMs > 0) await sleep(waitMs);
    };

    const outage = new FetchOutage(deps);
    // A mark is waited out inside the budget, leaving an attempt its time.
    await outage.waitOut(current, background, spare());
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw asAbortError(signal.reason);
      await passGate();
      if (left() <= 0) throw spent(attempt - 1);
      const info: TokenRequestInfo = { label, reason, attempt, background };
      events.emit({ type: 'token_request', ...info });
      const sentAt = monotonic();
      try {
        const token = await calls.attempt(info, current, left());
        await outage.succeeded();
        const durationMs = monotonic() - sentAt;
        entry.observeLatency(durationMs);
        const { expiresAt } = token;
        const expiresInMs = expiresAt - clock.now();
        events.emit({ type: 'token_acquired', ...info, durationMs, expiresAt, expiresInMs });
        return token;
      } catch (caught) {
        let error = signal.aborted
          ? asAbortError(signal.reason)
          : scrubError(caught, calls.secrets(current));
        const outageMs = signal.aborted ? 0 : await outage.failed(error);
        const retryInMs = signal.aborted ? undefined : retryDelay(error, attempt, outageMs);
        const willRetry = retryInMs !== undefined;
        // A timeout that ends the fetch says what the whole fetch spent (time waited, attempts
        // made), not what the last attempt did.
        if (!willRetry && error instanceof TimeoutError && !signal.aborted) error = spent(attempt);
        const { status, code } = error as { status?: unknown; code?: unknown };
        events.emit({
          type: 'token_request_failed',
          ...info,
          durationMs: monotonic() - sentAt,
          error,
          code: typeof code === 'string' ? code : 'error',
          ...(typeof status === 'number' ? { status } : {}),
          willRetry,
          ...(willRetry ? { retryInMs } : {}),
        });
        if (!willRetry) throw error;
        await sleep(retryInMs);
      }
    }
  };
  return { fetch, revoke: calls.revoke };
}
