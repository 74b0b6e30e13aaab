// Where a key's next token comes from: the store (another manager or process may have one), the cross-process lock, or a token request, and the lock's single flight across processes.

import { type FetcherDeps, tokenFetcher } from '../endpoint/token-fetcher.ts';
import { scrubError, secretsInPlay } from '../errors/redact.ts';
import { asAbortError } from '../manager/waiting.ts';
import { LOCK_POLL_FIRST_MS, LOCK_POLL_MAX_MS, STORE_TIMEOUT_MS } from '../options/settings.ts';
import { isAdoptable, refreshAt } from '../refresh/refresh-policy.ts';
import type { FetchReason, Token } from '../types.ts';
import { boundedStore, type StoreAccess } from './store-access.ts';

/** What a manager does with its store and token endpoint: load a token, revoke one. */
export interface LoadParts {
  /** One load (the key entry makes it the single flight every caller shares). */
  readonly loader: {
    load(
      reason: FetchReason,
      current: Token | undefined,
      rejected: Token | undefined,
      background: boolean,
    ): Promise<Token>;
  };
  /** Ends `token`'s session at the provider (best effort), then deletes it from the store. */
  revoke(token: Token): Promise<unknown>;
}

type PartsDeps = Omit<FetcherDeps, 'onStoreError'> & {
  /** The shared store's key when only known later (a DPoP key's thumbprint); default the provider's. */
  readonly storeKey?: Promise<string> | undefined;
};

/** The manager's bounded view of its store (all an invalidation needs). */
export function storeAccess(deps: PartsDeps): StoreAccess {
  const { store, provider, settings, entry, events, label } = deps;
  // A custom store may quote what it was given: scrubbed of the secrets and every token in play.
  const onStoreError = (operation: string, error: unknown, token?: Token): void => {
    const secrets = secretsInPlay(provider, token, entry);
    events.emit({ type: 'store_error', label, operation, error: scrubError(error, secrets) });
  };
  return boundedStore(
    store,
    deps.storeKey ?? provider.key,
    Math.min(STORE_TIMEOUT_MS, settings.requestTimeoutMs),
    entry,
    onStoreError,
    provider.tokenTypes,
  );
}

/**
 * The parts of one load. A load reads the store (another manager or process may have a token),
 * then takes the cross-process lock when the store has one, then fetches and stores; the key
 * entry makes it the single flight every caller shares.
 */
export function loadParts(deps: PartsDeps): LoadParts {
  const { clock, settings, entry, events, label } = deps;
  const access = storeAccess(deps);
  const fetcher = tokenFetcher({ ...deps, onStoreError: access.onError });

  const load = async (
    reason: FetchReason,
    current: Token | undefined,
    rejected: Token | undefined,
    background: boolean,
  ): Promise<Token> => {
    /** A token from the store that is not the one replaced and not yet due for refresh, adopted as ours. */
    const poll = async (): Promise<Token | undefined> => {
      const stored = await access.get();
      if (!stored) return undefined;
      const jitter = clock.random();
      const due = refreshAt(stored, settings, jitter, entry.observed);
      const replaced = rejected ?? current;
      if (!isAdoptable(stored, replaced, (token) => entry.isRejected(token), clock.now(), due)) {
        return undefined;
      }
      entry.adopt(stored, jitter);
      return stored;
    };
    const fresh = () => (reason === 'forced' ? Promise.resolve(undefined) : poll());
    const fetch = async (): Promise<Token> => {
      const token = await fetcher.fetch(reason, current, background);
      entry.adopt(token, clock.random());
      await access.set(token, Math.max(0, token.expiresAt - clock.now()));
      return token;
    };
    return (await fresh()) ?? (access.hasLock ? underLock(fresh, poll, fetch) : fetch());
  };

  /**
   * Cross-process single-flight: takes the lock and fetches (unless the previous holder just
   * stored a token), or polls for the holder's token while retrying the lock on each poll, so a
   * crashed holder is replaced as soon as its lock expires. A failing store, or two lock
   * lifetimes of waiting, end in a fetch without the lock: never a hang.
   */
  const underLock = async (
    fresh: () => Promise<Token | undefined>,
    poll: () => Promise<Token | undefined>,
    fetch: () => Promise<Token>,
  ): Promise<Token> => {
    const { lockTtlMs } = settings;
    const started = clock.now();
    let waited = false;
    const waitEnded = (outcome: 'token' | 'fetched'): void =>
      events.emit({ type: 'lock_wait', label, waitedMs: clock.now() - started, outcome });
    const fetched = (): Promise<Token> => {
      if (waited) waitEnded('fetched');
      return fetch();
    };
    for (let delay = LOCK_POLL_FIRST_MS; ; delay = Math.min(delay * 2, LOCK_POLL_MAX_MS)) {
      const lock = await access.lock(lockTtlMs);
      if (lock === null) return fetched();
      if (lock) {
        try {
          return (await fresh()) ?? (await fetched());
        } finally {
          // Before the outcome reaches the caller: a process exiting right after must not leave
          // the fleet waiting out the lock's TTL.
          await access.release(lock);
        }
      }
      if (clock.now() - started >= 2 * lockTtlMs) return fetched();
      waited = true;
      await clock.sleep(delay, entry.signal).catch((reason: unknown) => {
        throw asAbortError(reason);
      });
      const token = await poll();
      if (token) {
        waitEnded('token');
        return token;
      }
    }
  };

  const revoke = (token: Token) => fetcher.revoke(token).then(() => access.delete(token));
  return { loader: { load }, revoke };
}
