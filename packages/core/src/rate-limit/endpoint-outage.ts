// An endpoint that fails (5xx, no answer): its "down until" and streak of failures, shared by the fleet through the store's gate when it has one.
import { PerStore } from '../manager/key-registry.ts';
import { MAX_WAIT_MS } from '../options/settings.ts';
import type { OutageBackoff, RateLimit, TokenStore } from '../types.ts';
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
