// Cross-process single-flight through a store lock: one process fetches, the others wait for its token.
import { asAbortError } from '../manager/waiting.ts';
import { LOCK_POLL_FIRST_MS, LOCK_POLL_MAX_MS } from '../options/settings.ts';
import type { Clock, Token } from '../types.ts';
import type { StoreAccess } from './store-access.ts';

export interface LockedLoad {
  readonly store: StoreAccess;
  readonly clock: Clock;
  readonly lockTtlMs: number;
  /** Aborts the waiting when the last manager of the key closes. */
  readonly signal: AbortSignal;
  /** Under the lock: a token the previous holder may just have stored. */
  readonly readFresh: () => Promise<Token | undefined>;
  /** While waiting: the token the holder stored, once it is there. */
  readonly poll: () => Promise<Token | undefined>;
  /** The token request itself (and storing its result). */
  readonly fetch: () => Promise<Token>;
  readonly onWait: (waitedMs: number, outcome: 'token' | 'fetched') => void;
}

/**
 * Takes the lock and fetches, or polls for the holder's token while retrying the lock on each
 * poll, so a crashed holder is replaced as soon as its lock expires. A failing store, or two lock
 * lifetimes of waiting, end in a fetch without the lock: never a hang.
 */
export async function lockedLoad(load: LockedLoad): Promise<Token> {
  const { store, clock, lockTtlMs } = load;
  const started = clock.now();
  let waited = false;
  const fetched = (): Promise<Token> => {
    if (waited) load.onWait(clock.now() - started, 'fetched');
    return load.fetch();
  };
  for (let delay = LOCK_POLL_FIRST_MS; ; delay = Math.min(delay * 2, LOCK_POLL_MAX_MS)) {
    const lock = await store.lock(lockTtlMs);
    if (lock === null) return fetched();
    if (lock) {
      try {
        return (await load.readFresh()) ?? (await fetched());
      } finally {
        // Before the outcome reaches the caller: a process exiting right after must not leave the
        // fleet waiting out the lock's TTL.
        await store.release(lock);
      }
    }
    if (clock.now() - started >= 2 * lockTtlMs) return fetched();
    waited = true;
    await clock.sleep(delay, load.signal).catch((reason: unknown) => {
      throw asAbortError(reason);
    });
    const token = await load.poll();
    if (token) {
      load.onWait(clock.now() - started, 'token');
      return token;
    }
  }
}
