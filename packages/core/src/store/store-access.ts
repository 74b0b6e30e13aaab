// The manager's view of its store: every call bounded and never throwing (a stuck store counts as a failing one).

import { validateToken } from '../endpoint/token-response.ts';
import { TimeoutError } from '../errors/errors.ts';
import { whenAborted } from '../manager/abort-fanout.ts';
import type { StoreLock, Token, TokenStore } from '../types.ts';

/** The store's calls, bounded by `timeoutMs` and the key's lifecycle; failures become `store_error`. */
export class StoreAccess {
  readonly #store: TokenStore;
  /** A promise for a key only known asynchronously (a DPoP key's thumbprint). */
  readonly #key: string | Promise<string>;
  readonly #timeoutMs: number;
  /** Reports a failed store call (`store_error`), scrubbed of `token` when one was involved. */
  readonly onError: (operation: string, error: unknown, token?: Token) => void;
  readonly #lifecycle: { readonly signal: AbortSignal };
  readonly #tokenTypes: readonly string[] | undefined;

  /** `lifecycle.signal` (the key's) ends every pending call at once with its fallback. */
  constructor(
    store: TokenStore,
    key: string | Promise<string>,
    timeoutMs: number,
    lifecycle: { readonly signal: AbortSignal },
    /** `token`: the one the failed call was about, which its error must not quote. */
    onError: (operation: string, error: unknown, token?: Token) => void,
    tokenTypes?: readonly string[],
  ) {
    this.#tokenTypes = tokenTypes;
    this.#store = store;
    this.#key = key;
    this.#timeoutMs = timeoutMs;
    this.#lifecycle = lifecycle;
    this.onError = onError;
  }

  /** The stored token, validated like a token response; undefined when missing, broken or failing. */
  async get(): Promise<Token | undefined> {
    const stored = await this.#call('get', async () => this.#store.get(await this.#key), undefined);
    if (stored === undefined || stored === null) return undefined;
    try {
      return validateToken(
        stored,
        'the store',
        this.#tokenTypes ? { tokenTypes: this.#tokenTypes } : {},
      );
    } catch (error) {
      this.onError('get', error);
      return undefined;
    }
  }

  set(token: Token, ttlMs: number): Promise<void> {
    return this.#call(
      'set',
      async () => this.#store.set(await this.#key, token, ttlMs),
      undefined,
      token,
    );
  }

  delete(token: Token): Promise<boolean> {
    return this.#call(
      'delete',
      async () => this.#store.delete(await this.#key, token),
      false,
      token,
    );
  }

  get hasLock(): boolean {
    return typeof this.#store.lock === 'function';
  }

  /** The lock, `undefined` when another process holds it, `null` when the store failed. */
  lock(ttlMs: number): Promise<StoreLock | undefined | null> {
    return this.#call(
      'lock',
      async () => (await this.#store.lock?.(await this.#key, ttlMs)) ?? undefined,
      null,
    );
  }

  /** Releases `lock`; bounded like every call, and never throwing. */
  release(lock: StoreLock): Promise<void> {
    return this.#call('release', () => lock.release(), undefined);
  }

  /**
   * Runs one store call; a throw, a rejection or no answer within the bound gives `fallback`. Once
   * the key's lifecycle ended, reads and locks give their fallback at once; a delete or a release
   * still runs (bounded by the timeout): it cleans up after the key.
   */
  #call<T>(operation: string, run: () => Promise<T>, fallback: T, token?: Token): Promise<T> {
    const signal = this.#lifecycle.signal;
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
        if (error !== undefined) this.onError(operation, error, token);
        resolve(value);
      };
      const timer = setTimeout(
        () => finish(fallback, new TimeoutError(`Store ${operation}`, this.#timeoutMs)),
        this.#timeoutMs,
      );
      const stopWaiting = whenAborted(signal, () => finish(fallback));
      const failed = (error: unknown): void => finish(fallback, error ?? new Error('store failed'));
      try {
        Promise.resolve(run()).then((value) => finish(value), failed);
      } catch (error) {
        failed(error);
      }
    });
  }
}
