// One 'abort' listener per signal, however many calls wait on it.

const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `onAbort` when `signal` aborts; returns the function that stops waiting. Every caller of one
 * signal shares a single listener on it (hundreds of concurrent store calls on a key's lifecycle
 * signal would otherwise trip Node's MaxListenersExceededWarning and cost a listener each).
 */
export function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
  let callbacks = waiting.get(signal);
  if (!callbacks) {
    const set = new Set<() => void>();
    waiting.set(signal, set);
    const abort = (): void => {
      waiting.delete(signal);
      for (const callback of set) callback();
    };
    signal.addEventListener('abort', abort, { once: true });
    callbacks = set;
  }
  callbacks.add(onAbort);
  const set = callbacks;
  return () => {
    set.delete(onAbort);
  };
}
