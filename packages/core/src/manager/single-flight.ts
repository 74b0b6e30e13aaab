// Single-flight for one cache key: the one load every caller shares (never an abandoned one), and the signal that cancels it when the key's last manager closes.

import { clampTimer, REDONE_LOADS_MAX } from '../options/settings.ts';
import type { Token } from '../types.ts';

/** How a caller shares a load: how its age is measured, how long a live one takes, waitUntil. */
export interface ShareOptions {
  /** The caller's clock (its monotonic reading): where a load's age is measured. */
  readonly monotonic: () => number;
  /** The longest a live load takes (every wait in it is bounded): past it, it was abandoned. */
  readonly boundMs: number;
  /** Keeps the request that starts a load alive until it settles (a Worker's `ctx.waitUntil`). */
  readonly waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

/**
 * One load every caller shares. On a platform that ties I/O and promises to the request that
 * created them (Cloudflare Workers), a load whose request ended is abandoned: its I/O is cancelled,
 * it never settles, and another request awaiting it gets the platform's error instead (or waits
 * forever, with older compatibility flags).
 */
interface Flight {
  readonly promise: Promise<Token>;
  /** Milliseconds left before the load is past the longest a live one takes. */
  readonly remainingMs: () => number;
  /**
   * Written by the load's own reaction, in the request that started it: a rejection a joiner sees
   * that is not `failure` came from the platform.
   */
  settled: boolean;
  failure: unknown;
}

/** What a joiner's watch ends with when the load it waits on was abandoned. */
const ABANDONED: unique symbol = Symbol('abandoned');

/** The one load in flight for a key, and the managers holding the key (reference-counted). */
export class SingleFlight {
  #flight: Flight | undefined;
  #managers = 0;
  /**
   * Created when work starts and dropped when it ends, so an idle key holds no controller; kept,
   * aborted, once the last manager released the key.
   */
  #lifecycle: AbortController | undefined;

  /** Aborted when the last manager of the key closes: cancels in-flight work. */
  get signal(): AbortSignal {
    this.#lifecycle ??= new AbortController();
    return this.#lifecycle.signal;
  }

  /**
   * The load in flight, unless it is past the longest a live load takes: that one was abandoned
   * by the request that started it, and is dropped so the next caller starts afresh.
   */
  get inflight(): Promise<Token> | undefined {
    return this.#live()?.promise;
  }

  #live(): Flight | undefined {
    const flight = this.#flight;
    if (flight && isPastBound(flight)) this.#clear(flight);
    return this.#flight;
  }

  /**
   * Single-flight: the load in flight, or `load()` started as the one every caller shares. A
   * caller never inherits an abandoned load (see Flight): it drops it, if it is still the current
   * one, and starts or joins a new one; what it gets is that load's token or typed error.
   */
  share(load: () => Promise<Token>, options: ShareOptions): Promise<Token> {
    const flight = this.#live();
    return flight ? this.#join(flight, load, options) : this.#start(load, options);
  }

  #start(load: () => Promise<Token>, options: ShareOptions): Promise<Token> {
    const { monotonic, boundMs } = options;
    const startedAt = monotonic();
    const settled = load().then(
      (token) => {
        flight.settled = true;
        return token;
      },
      (error: unknown) => {
        flight.settled = true;
        flight.failure = error;
        throw error;
      },
    );
    const flight: Flight = {
      promise: settled.finally(() => this.#clear(flight)),
      remainingMs: () => startedAt + boundMs - monotonic(),
      settled: false,
      failure: undefined,
    };
    this.#flight = flight;
    keepAlive(flight.promise, options.waitUntil);
    return flight.promise;
  }

  /** A joiner's wait: the load's outcome, or a new load when that one was abandoned. */
  async #join(flight: Flight, load: () => Promise<Token>, options: ShareOptions): Promise<Token> {
    let current = flight;
    for (let redone = 0; ; redone++) {
      const outcome = await watch(current);
      if (outcome !== ABANDONED) return outcome;
      this.#clear(current);
      // Bounded all the same: past the limit this caller loads for itself, unshared.
      if (redone >= REDONE_LOADS_MAX) return load();
      const next = this.#live();
      if (!next) return this.#start(load, options);
      current = next;
    }
  }

  /** Forgets `flight`, but only if it is still the current one: a newer load is kept. */
  #clear(flight: Flight): void {
    if (this.#flight !== flight) return;
    this.#flight = undefined;
    if (!this.#lifecycle?.signal.aborted) this.#lifecycle = undefined;
  }

  retain(): void {
    this.#managers += 1;
  }

  /** Returns whether that was the last manager; its in-flight work is then cancelled. */
  release(reason: Error): boolean {
    this.#managers -= 1;
    if (this.#managers > 0) return false;
    this.#lifecycle ??= new AbortController();
    this.#lifecycle.abort(reason);
    return true;
  }
}

function isPastBound(flight: Flight): boolean {
  return !flight.settled && flight.remainingMs() <= 0;
}

/** A rejection the load itself produced (not the platform's error for an abandoned one). */
function isOwnFailure(flight: Flight, error: unknown): boolean {
  return flight.settled && flight.failure === error;
}

/**
 * Waits for `flight` from a joining caller: its token, its own failure (rethrown), or ABANDONED
 * when the platform rejects the wait instead, or the load outlives its bound. The bound is watched
 * from the joiner (the starter's timers died with its request) on a real timer, as close()'s bound
 * is: it is a safety net, and a test clock that fast-forwards its sleeps must not make a live load
 * look abandoned. A live load settles first and clears it.
 */
function watch(flight: Flight): Promise<Token | typeof ABANDONED> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(ABANDONED), clampTimer(flight.remainingMs()));
    flight.promise.then(
      (token) => {
        clearTimeout(timer);
        resolve(token);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (isOwnFailure(flight, error)) reject(error);
        else resolve(ABANDONED);
      },
    );
  });
}

/** Hands the load to the platform's `waitUntil`, if given, so its request lives until it settles. */
function keepAlive(promise: Promise<Token>, waitUntil: ShareOptions['waitUntil']): void {
  if (!waitUntil) return;
  try {
    waitUntil(promise.catch(() => {}));
  } catch {
    // Outside a request (a Worker's module scope) there is nothing to extend: the load runs as is.
  }
}
