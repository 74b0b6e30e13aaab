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
    callbacks = set;
    waiting.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        waiting.delete(signal);
        for (const callback of set) callback();
      },
      { once: true },
    );
  }
  const set = callbacks;
  set.add(onAbort);
  return () => {
    set.delete(onAbort);
  };
}
