// Where a key's next token comes from: the store (another manager or process may have one), the cross-process lock, or a token request.

import { type FetcherDeps, TokenFetcher } from '../endpoint/token-fetcher.ts';
import { scrubError, tokenSecrets } from '../errors/redact.ts';
import { STORE_TIMEOUT_MS } from '../options/settings.ts';
import { isAdoptable, refreshAt } from '../refresh/refresh-policy.ts';
import type { FetchReason, Token } from '../types.ts';
import { lockedLoad } from './lock.ts';
import { StoreAccess } from './store-access.ts';

/** What one load is made of: the store access, the fetcher and the loader over them. */
export interface LoadParts {
  readonly access: StoreAccess;
  readonly fetcher: TokenFetcher;
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
    const secrets = [
      ...(provider.secrets ?? []),
      ...tokenSecrets(token),
      ...entry.knownAccessTokens(),
    ];
    events.emit({ type: 'store_error', label, operation, error: scrubError(error, secrets) });
  };
  const timeoutMs = Math.min(STORE_TIMEOUT_MS, settings.requestTimeoutMs);
  return new StoreAccess(
    store,
    deps.storeKey ?? provider.key,
    timeoutMs,
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
  const fetcher = new TokenFetcher({ ...deps, onStoreError: access.onError });

  /** A token from the store that is not `exclude` and not yet due for refresh, adopted as ours. */
  const readFresh = async (exclude: Token | undefined): Promise<Token | undefined> => {
    const stored = await access.get();
    if (!stored) return undefined;
    const jitter = clock.random();
    const due = refreshAt(stored, settings, jitter, entry.observed);
    if (!isAdoptable(stored, exclude, (token) => entry.isRejected(token), clock.now(), due)) {
      return undefined;
    }
    entry.adopt(stored, jitter);
    return stored;
  };

  const load = async (
    reason: FetchReason,
    current: Token | undefined,
    rejected: Token | undefined,
    background: boolean,
  ): Promise<Token> => {
    const exclude = rejected ?? current;
    const fresh = (): Promise<Token | undefined> =>
      reason === 'forced' ? Promise.resolve(undefined) : readFresh(exclude);
    const stored = await fresh();
    if (stored) return stored;
    const fetch = async (): Promise<Token> => {
      const token = await fetcher.fetch(reason, current, background);
      entry.adopt(token, clock.random());
      await access.set(token, Math.max(0, token.expiresAt - clock.now()));
      return token;
    };
    if (!access.hasLock) return fetch();
    return lockedLoad({
      store: access,
      clock,
      lockTtlMs: settings.lockTtlMs,
      signal: entry.signal,
      readFresh: fresh,
      poll: () => readFresh(exclude),
      fetch,
      onWait: (waitedMs, outcome) => events.emit({ type: 'lock_wait', label, waitedMs, outcome }),
    });
  };

  const revoke = (token: Token) => fetcher.revoke(token).then(() => access.delete(token));
  return { access, fetcher, loader: { load }, revoke };
}
