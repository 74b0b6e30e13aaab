// Where a key's next token comes from: the store (another manager or process may have one), the cross-process lock, or a token request.

import { type FetcherDeps, TokenFetcher } from '../endpoint/token-fetcher.ts';
import { asError, tokenSecrets } from '../errors/redact.ts';
import type { KeyEntry } from '../manager/key-entry.ts';
import type { Emitter } from '../observe/events.ts';
import type { Settings } from '../options/settings.ts';
import { STORE_TIMEOUT_MS } from '../options/settings.ts';
import { isAdoptable, refreshAt } from '../refresh/refresh-policy.ts';
import type { Clock, FetchReason, Token } from '../types.ts';
import { lockedLoad } from './lock.ts';
import { StoreAccess } from './store-access.ts';

export interface LoaderDeps {
  readonly label: string;
  readonly clock: Clock;
  readonly settings: Settings;
  readonly entry: KeyEntry;
  readonly access: StoreAccess;
  readonly events: Pick<Emitter, 'emit'>;
}

export class TokenLoader {
  readonly #deps: LoaderDeps;
  readonly #fetcher: TokenFetcher;

  constructor(deps: LoaderDeps, fetcher: TokenFetcher) {
    this.#deps = deps;
    this.#fetcher = fetcher;
  }

  /** One load (the key entry makes it the single flight every caller shares). */
  async load(
    reason: FetchReason,
    current: Token | undefined,
    rejected: Token | undefined,
    background: boolean,
  ): Promise<Token> {
    const { access, clock, settings, entry, events, label } = this.#deps;
    const exclude = rejected ?? current;
    const readFresh = (): Promise<Token | undefined> =>
      reason === 'forced' ? Promise.resolve(undefined) : this.#readFresh(exclude);
    const stored = await readFresh();
    if (stored) return stored;
    const fetch = (): Promise<Token> => this.#fetchAndStore(reason, current, background);
    if (!access.hasLock) return fetch();
    return lockedLoad({
      store: access,
      clock,
      lockTtlMs: settings.lockTtlMs,
      signal: entry.signal,
      readFresh,
      poll: () => this.#readFresh(exclude),
      fetch,
      onWait: (waitedMs, outcome) => events.emit({ type: 'lock_wait', label, waitedMs, outcome }),
    });
  }

  /** A token from the store that is not `exclude` and not yet due for refresh, adopted as ours. */
  async #readFresh(exclude: Token | undefined): Promise<Token | undefined> {
    const { access, clock, settings, entry } = this.#deps;
    const stored = await access.get();
    if (!stored) return undefined;
    const jitter = clock.random();
    const due = refreshAt(stored, settings, jitter, entry.observed);
    if (!isAdoptable(stored, exclude, (token) => entry.isRejected(token), clock.now(), due)) {
      return undefined;
    }
    entry.adopt(stored, jitter);
    return stored;
  }

  async #fetchAndStore(
    reason: FetchReason,
    current: Token | undefined,
    background: boolean,
  ): Promise<Token> {
    const { access, clock, entry } = this.#deps;
    const token = await this.#fetcher.fetch(reason, current, background);
    entry.adopt(token, clock.random());
    await access.set(token, Math.max(0, token.expiresAt - clock.now()));
    return token;
  }
}

/** What one load is made of: the store access, the fetcher and the loader over them. */
export interface LoadParts {
  readonly access: StoreAccess;
  readonly fetcher: TokenFetcher;
  readonly loader: TokenLoader;
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
    events.emit({ type: 'store_error', label, operation, error: asError(error, secrets) });
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

/** Builds the parts of one load from the manager's state. */
export function loadParts(deps: PartsDeps): LoadParts {
  const access = storeAccess(deps);
  const parts = { ...deps, onStoreError: access.onError, access };
  const fetcher = new TokenFetcher(parts);
  const revoke = (token: Token) => fetcher.revoke(token).then(() => access.delete(token));
  return { access, fetcher, loader: new TokenLoader(parts, fetcher), revoke };
}
