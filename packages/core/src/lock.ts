// Cross-process single-flight through a store lock: one process fetches, the others wait for it.
import { asAbortError } from './abort.ts';
import type { LockedLoad, StoreLock, Token } from './types.ts';

/**
 * Takes the lock and fetches, or polls for the holder's token while retrying the lock on each
 * poll, so a crashed holder is replaced as soon as its lock expires. A failing store, or two lock
 * lifetimes of waiting, end in a fetch without the lock: never a hang. A store with a `lock`
 * sets this as its `lockedLoad`.
 *
 * @example
 * return { get, set, delete: del, lock, lockedLoad };
 */
export async function lockedLoad(load: LockedLoad): Promise<Token> {
  const { key, store, clock, lockTtlMs } = load;
  const started = clock.now();
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    let lock: StoreLock | undefined;
    try {
      lock = await store.lock!(key, lockTtlMs);
    } catch (error) {
      load.storeError('lock', error);
      return load.fetch();
    }
    if (lock) {
      try {
        return (await load.readFresh()) ?? (await load.fetch());
      } finally {
        lock.release().catch((error: unknown) => load.storeError('release', error));
      }
    }
    if (clock.now() - started >= 2 * lockTtlMs) return load.fetch();
    await clock.sleep(delay, load.signal).catch((reason: unknown) => {
      throw asAbortError(reason);
    });
    const token = await load.poll();
    if (token) {
      load.emit({ type: 'lock_wait', key, waitedMs: clock.now() - started });
      return token;
    }
  }
}
