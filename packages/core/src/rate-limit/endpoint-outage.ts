// An endpoint that fails (5xx, no answer): its "down until" and streak of failures, shared by the fleet through the store's gate when it has one.
import { isAuthwireError } from '../errors/authwire-error.ts';
import { EndpointDownError, TokenEndpointError } from '../errors/errors.ts';
import { PerStore } from '../manager/key-registry.ts';
import { asAbortError } from '../manager/waiting.ts';
import { clampTimer, OUTAGE_BACKOFF_MAX_MS, type Settings } from '../options/settings.ts';
import { arrivedExpired } from '../refresh/refresh-policy.ts';
import type { Clock, OutageBackoff, OutageGate, RateLimit, Token, TokenStore } from '../types.ts';
import { backoffDelay, capWait } from './backoff.ts';
import { blockKey } from './rate-gate.ts';

/** This process's view of one endpoint (the whole view with a memory store). */
interface Local {
  streak: number;
  until: number;
}
/** Made with the endpoint's first failure and dropped when it recovers: a healthy key holds none. */
const locals = new PerStore<Local>();

/** A streak of failures is forgotten when the endpoint was left alone this many back-offs long. */
const STREAK_FORGOTTEN_AFTER = 2;

/** The local mark: kept while it runs, else the next back-off of the streak. */
export function markLocal(state: Local, now: number, backoff: OutageBackoff): number {
  if (state.until > now) return state.until - now;
  if (now - state.until > STREAK_FORGOTTEN_AFTER * backoff.maxMs) state.streak = 0;
  state.streak += 1;
  const ms = backoffDelay(state.streak, backoff.baseMs, backoff.maxMs, backoff.random);
  state.until = now + ms;
  return ms;
}

/** A fleet's answer as a wait: a finite number of ms, at most MAX_WAIT_MS; anything else is 0. */
function positive(ms: unknown): number {
  return typeof ms === 'number' && Number.isFinite(ms) ? capWait(ms) : 0;
}

/** A failure that says the endpoint is down (5xx, no answer, a timeout), not that it refused us. */
export function isOutage(error: unknown): boolean {
  if (error instanceof TokenEndpointError) return error.retryable;
  return isAuthwireError(error) && error.code === 'timeout';
}

/** What a fetcher needs for its endpoint's outage. */
interface FetchOutageDeps {
  readonly provider: { readonly key: string };
  /** The provider's declared limit, as resolved for this fetch. */
  readonly rateLimit: RateLimit | undefined;
  readonly store: TokenStore;
  /** Monotonic ms, for this process's view. */
  readonly monotonic: () => number;
  readonly onStoreError: (operation: string, error: unknown) => void;
  readonly clock: Clock;
  readonly label: string;
  readonly settings: Settings;
  readonly entry: { readonly signal: AbortSignal };
}

/** One fetch's view of its endpoint's outage: wait out a mark, mark failures, end the streak. */
export class FetchOutage {
  readonly #deps: FetchOutageDeps;
  readonly #key: string;
  /** Whether this fetch saw the endpoint down: its success then ends the streak. */
  #saw = false;

  constructor(deps: FetchOutageDeps) {
    this.#deps = deps;
    this.#key = blockKey(deps.rateLimit, deps.provider.key);
  }

  /**
   * Before the first attempt: an endpoint marked down (by this process or another's failed
   * attempts) is not tried before its mark runs out. A refresh whose old token is still valid and
   * a background refresh do not wait: they fail at once (EndpointDownError) and the old token is
   * served. Callers without a token wait for the mark when it ends within `maxRetryAfterMs` and
   * `maxWaitMs` (what the fetch's budget leaves).
   */
  async waitOut(current: Token | undefined, background: boolean, maxWaitMs: number): Promise<void> {
    const { clock, label, settings, entry, store, monotonic } = this.#deps;
    const downMs = await this.#shared(
      async (fleet) => positive(await fleet.downFor(this.#key)),
      () => Math.max(0, (locals.get(store, this.#key)?.until ?? 0) - monotonic()),
    );
    if (downMs <= 0) return;
    this.#saw = true;
    const keepsOldToken =
      background || (current !== undefined && !arrivedExpired(current, clock.now(), settings));
    if (keepsOldToken || downMs > Math.min(settings.maxRetryAfterMs, maxWaitMs)) {
      throw new EndpointDownError(label, downMs);
    }
    await clock.sleep(clampTimer(downMs), entry.signal).catch((reason: unknown) => {
      throw asAbortError(reason);
    });
  }

  /**
   * After a failed attempt: a 5xx or no answer marks the endpoint down for the next back-off of
   * its streak, for the fleet, last attempt or not (a mark still running is kept). Resolves to
   * the ms until the next attempt (0: not an outage).
   */
  async failed(error: unknown): Promise<number> {
    if (!isOutage(error)) return 0;
    const { settings, clock, store, monotonic } = this.#deps;
    const backoff: OutageBackoff = {
      baseMs: settings.retryBaseDelayMs,
      // Never shorter than a retry's own first back-off.
      maxMs: Math.max(
        settings.retryBaseDelayMs,
        Math.min(settings.retryMaxDelayMs, OUTAGE_BACKOFF_MAX_MS),
      ),
      random: clock.random(),
    };
    const local = (): Local => locals.ensure(store, this.#key, () => ({ streak: 0, until: 0 }));
    const ms = await this.#shared(
      async (fleet) => {
        const fleetMs = positive(await fleet.failed(this.#key, backoff));
        // This process remembers the fleet's mark too, in case the store fails next.
        if (fleetMs > 0) {
          const own = local();
          own.until = Math.max(own.until, monotonic() + fleetMs);
        }
        return fleetMs;
      },
      () => markLocal(local(), monotonic(), backoff),
    );
    this.#saw ||= ms > 0;
    return ms;
  }

  /** After a token came back: the endpoint is up, its streak ends. */
  async succeeded(): Promise<void> {
    if (!this.#saw) return;
    const { store } = this.#deps;
    const own = locals.get(store, this.#key);
    if (own) locals.delete(store, this.#key, own);
    await this.#shared(
      (fleet) => fleet.recovered(this.#key),
      () => undefined,
    );
  }

  /** The fleet's answer, or this process's when the store has no outage gate or it fails. */
  async #shared<T>(ask: (fleet: OutageGate) => Promise<T>, fallback: () => T): Promise<T> {
    const fleet = this.#deps.store.rateGate?.outage;
    if (!fleet) return fallback();
    try {
      return await ask(fleet);
    } catch (error) {
      this.#deps.onStoreError('outage', error);
      return fallback();
    }
  }
}
