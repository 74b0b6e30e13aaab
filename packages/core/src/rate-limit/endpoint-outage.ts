// An endpoint that fails (5xx, no answer): its "down until" and streak of failures, shared by the fleet through the store's gate when it has one.
import { isAuthwireError } from '../errors/authwire-error.ts';
import { EndpointDownError, TokenEndpointError } from '../errors/errors.ts';
import { PerStore } from '../manager/key-registry.ts';
import { asAbortError } from '../manager/waiting.ts';
import {
  clampTimer,
  MAX_WAIT_MS,
  OUTAGE_BACKOFF_MAX_MS,
  type Settings,
} from '../options/settings.ts';
import { arrivedExpired } from '../refresh/refresh-policy.ts';
import type {
  Clock,
  OutageBackoff,
  RateLimit,
  Token,
  TokenProvider,
  TokenStore,
} from '../types.ts';
import { backoffDelay } from './backoff.ts';
import { blockKey } from './rate-gate.ts';

/** This process's view of one endpoint (the whole view with a memory store). */
interface Local {
  streak: number;
  until: number;
}
const locals = new PerStore<Local>();

export interface OutageScope {
  readonly store: TokenStore;
  readonly limit: RateLimit | undefined;
  readonly cacheKey: string;
  /** Monotonic ms, for this process's view. */
  readonly now: () => number;
  readonly onStoreError: (operation: string, error: unknown) => void;
}

/** The outage scope of a fetcher's endpoint. */
export function outageScope(deps: {
  readonly provider: TokenProvider;
  /** The provider's declared limit, as resolved for this fetch. */
  readonly rateLimit: RateLimit | undefined;
  readonly store: TokenStore;
  readonly monotonic: () => number;
  readonly onStoreError: (operation: string, error: unknown) => void;
}): OutageScope {
  const { provider, rateLimit, store, monotonic, onStoreError } = deps;
  return { store, limit: rateLimit, cacheKey: provider.key, now: monotonic, onStoreError };
}

/** A streak of failures is forgotten when the endpoint was left alone this many back-offs long. */
const STREAK_FORGOTTEN_AFTER = 2;

const key = (scope: OutageScope): string => blockKey(scope.limit, scope.cacheKey);

/** Made with the endpoint's first failure and dropped when it recovers: a healthy key holds none. */
function local(scope: OutageScope): Local {
  return locals.ensure(scope.store, key(scope), () => ({
    streak: 0,
    until: 0,
  }));
}

/** The fleet's answer, or this process's when the store has no outage gate or it fails. */
async function shared<T>(
  scope: OutageScope,
  ask: (endpoint: string) => Promise<T>,
  fallback: () => T,
): Promise<T> {
  const fleet = scope.store.rateGate?.outage;
  if (!fleet) return fallback();
  try {
    return await ask(key(scope));
  } catch (error) {
    scope.onStoreError('outage', error);
    return fallback();
  }
}

/** The ms until the endpoint may be tried again (0: not known to be down). */
export function downFor(scope: OutageScope): Promise<number> {
  return shared(
    scope,
    async (endpoint) => positive(await scope.store.rateGate?.outage?.downFor(endpoint)),
    () => Math.max(0, (locals.get(scope.store, key(scope))?.until ?? 0) - scope.now()),
  );
}

/**
 * An attempt failed with a 5xx or no answer: the endpoint is down for the next back-off of its
 * streak (a mark still running is kept). Resolves to the ms until the next attempt.
 */
export function failed(scope: OutageScope, backoff: OutageBackoff): Promise<number> {
  const mark = (): number => markLocal(local(scope), scope.now(), backoff);
  return shared(
    scope,
    async (endpoint) => {
      const ms = positive(await scope.store.rateGate?.outage?.failed(endpoint, backoff));
      // This process remembers the fleet's mark too, in case the store fails next.
      if (ms > 0) {
        const own = local(scope);
        own.until = Math.max(own.until, scope.now() + ms);
      }
      return ms;
    },
    mark,
  );
}

/** A token came back: the endpoint is up, its streak ends. */
export async function recovered(scope: OutageScope): Promise<void> {
  const own = locals.get(scope.store, key(scope));
  if (own) locals.delete(scope.store, key(scope), own);
  await shared(
    scope,
    async (endpoint) => scope.store.rateGate?.outage?.recovered(endpoint),
    () => undefined,
  );
}

/** The local mark: kept while it runs, else the next back-off of the streak. */
export function markLocal(state: Local, now: number, backoff: OutageBackoff): number {
  if (state.until > now) return state.until - now;
  if (now - state.until > STREAK_FORGOTTEN_AFTER * backoff.maxMs) state.streak = 0;
  state.streak += 1;
  const ms = backoffDelay(state.streak, backoff.baseMs, backoff.maxMs, backoff.random);
  state.until = now + ms;
  return ms;
}

function positive(ms: unknown): number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_WAIT_MS) : 0;
}

/** A failure that says the endpoint is down (5xx, no answer, a timeout), not that it refused us. */
export function isOutage(error: unknown): boolean {
  if (error instanceof TokenEndpointError) return error.retryable;
  return isAuthwireError(error) && error.code === 'timeout';
}

/** Marks the endpoint down for the next back-off of its streak; the ms until the next attempt. */
export function markDown(scope: OutageScope, settings: Settings, clock: Clock): Promise<number> {
  return failed(scope, {
    baseMs: settings.retryBaseDelayMs,
    // Never shorter than a retry's own first back-off.
    maxMs: Math.max(
      settings.retryBaseDelayMs,
      Math.min(settings.retryMaxDelayMs, OUTAGE_BACKOFF_MAX_MS),
    ),
    random: clock.random(),
  });
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

/**
 * Before a fetch's first attempt: an endpoint marked down (by this process or another's failed
 * attempts) is not tried before its mark runs out. A refresh whose old token is still valid and a
 * background refresh do not wait: they fail at once (EndpointDownError) and the old token is
 * served. Callers without a token wait for the mark when it ends within `maxRetryAfterMs` and
 * `maxWaitMs` (what the fetch's budget leaves).
 * Resolves to whether the endpoint was down.
 */
export async function waitOutOutage(
  scope: OutageScope,
  current: Token | undefined,
  background: boolean,
  maxWaitMs: number,
  deps: {
    readonly clock: Clock;
    readonly label: string;
    readonly settings: Settings;
    readonly entry: { readonly signal: AbortSignal };
  },
): Promise<boolean> {
  const { clock, label, settings, entry } = deps;
  const downMs = await downFor(scope);
  if (downMs <= 0) return false;
  if (
    keepsOldToken(current, background, clock.now(), settings) ||
    downMs > Math.min(settings.maxRetryAfterMs, maxWaitMs)
  ) {
    throw new EndpointDownError(label, downMs);
  }
  await clock.sleep(clampTimer(downMs), entry.signal).catch((reason: unknown) => {
    throw asAbortError(reason);
  });
  return true;
}

/** What a fetcher needs for its endpoint's outage. */
type FetchOutageDeps = Parameters<typeof outageScope>[0] &
  Parameters<typeof waitOutOutage>[4] & { readonly settings: Settings };

/** One fetch's view of its endpoint's outage: wait out a mark, mark failures, end the streak. */
export class FetchOutage {
  readonly #deps: FetchOutageDeps;
  readonly #scope: OutageScope;
  /** Whether this fetch saw the endpoint down: its success then ends the streak. */
  #saw = false;

  constructor(deps: FetchOutageDeps) {
    this.#deps = deps;
    this.#scope = outageScope(deps);
  }

  /** Before the first attempt (see {@link waitOutOutage}). */
  async waitOut(current: Token | undefined, background: boolean, maxWaitMs: number): Promise<void> {
    this.#saw = await waitOutOutage(this.#scope, current, background, maxWaitMs, this.#deps);
  }

  /** After a failed attempt: a 5xx or no answer marks the endpoint down for the fleet, last attempt or not; the ms until the next attempt (0: not an outage). */
  async failed(error: unknown): Promise<number> {
    if (!isOutage(error)) return 0;
    const ms = await markDown(this.#scope, this.#deps.settings, this.#deps.clock);
    this.#saw ||= ms > 0;
    return ms;
  }

  /** After a token came back. */
  async succeeded(): Promise<void> {
    if (this.#saw) await recovered(this.#scope);
  }
}
