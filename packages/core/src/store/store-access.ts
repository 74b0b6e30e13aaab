// The manager's view of its store: every call bounded and never throwing (a stuck store counts as a failing one).

import { validateToken } from '../endpoint/token-response.ts';
import { TimeoutError } from '../errors/errors.ts';
import { whenAborted } from '../manager/abort-fanout.ts';
import type { StoreLock, Token, TokenStore } from '../types.ts';

/** Reports a failed store call (`store_error`); `token` is the one it was about, which its error must not quote. */
export type OnStoreError = (operation: string, error: unknown, token?: Token) => void;

/** The store's calls, bounded by a timeout and the key's lifecycle; a failure gives a fallback and is reported. */
export interface StoreAccess {
  /** The stored token, validated like a token response; undefined when missing, broken or failing. */
  get(): Promise<Token | undefined>;
  set(token: Token, ttlMs: number): Promise<void>;
  delete(token: Token): Promise<boolean>;
  readonly hasLock: boolean;
  /** The lock, `undefined` when another process holds it, `null` when the store failed. */
  lock(ttlMs: number): Promise<StoreLock | undefined | null>;
  release(lock: StoreLock): Promise<void>;
  readonly onError: OnStoreError;
}

/**
 * `store` as seen under `key` (a promise for a key only known later: a DPoP key's thumbprint).
 * Each call gives its fallback on a throw, a rejection or no answer within `timeoutMs`. Once
 * `lifecycle.signal` (the key's) aborted, reads and locks give their fallback at once; a delete
 * or a release still runs (bounded): it cleans up after the key.
 */
export function boundedStore(
  store: TokenStore,
  key: string | Promise<string>,
  timeoutMs: number,
  lifecycle: { readonly signal: AbortSignal },
  onError: OnStoreError,
  tokenTypes?: readonly string[],
): StoreAccess {
  const call = <T>(
    operation: string,
    run: (key: string) => T | Promise<T>,
    fallback: T,
    token?: Token,
  ): Promise<T> => {
    const signal = lifecycle.signal;
    if (signal.aborted && operation !== 'delete' && operation !== 'release') {
      return Promise.resolve(fallback);
    }
    return new Promise<T>((resolve) => {
      let settled = false;
      const finish = (value: T, error?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stopWaiting();
        if (error !== undefined) onError(operation, error, token);
        resolve(value);
      };
      const timer = setTimeout(
        () => finish(fallback, new TimeoutError(`Store ${operation}`, timeoutMs)),
        timeoutMs,
      );
      const stopWaiting = whenAborted(signal, () => finish(fallback));
      Promise.resolve(key)
        .then(run)
        .then(finish, (error: unknown) => finish(fallback, error ?? new Error('store failed')));
    });
  };
  return {
    async get() {
      const stored = await call('get', (k) => store.get(k), undefined);
      if (stored == null) return undefined;
      try {
        return validateToken(stored, 'the store', tokenTypes ? { tokenTypes } : {});
      } catch (error) {
        onError('get', error);
        return undefined;
      }
    },
    set: (token, ttlMs) => call('set', (k) => store.set(k, token, ttlMs), undefined, token),
    delete: (token) => call('delete', (k) => store.delete(k, token), false, token),
    hasLock: typeof store.lock === 'function',
    lock: (ttlMs) => call('lock', async (k) => (await store.lock?.(k, ttlMs)) ?? undefined, null),
    release: (lock) => call('release', () => lock.release(), undefined),
    onError,
  };
}
