// What a token manager reports: its event listeners (`onEvent`, `debug`, `subscribe`) and the instrumentation around its token requests.
import { debugPrinter, Emitter } from '../observe/events.ts';
import type { TokenEvent, TokenRequestWrapper } from '../types.ts';
import type { TokenManager, TokenManagerOptions } from './manager-types.ts';

/** Core-internal: emits `event` to the listeners of `manager` (one createTokenManager made). */
export let emitOn: (manager: TokenManager, event: TokenEvent) => void;
/** Core-internal: runs `wrap` around each token-request attempt of `manager`; returns its undo. */
export let wrapOn: (manager: TokenManager, wrap: TokenRequestWrapper) => () => void;
/** Core-internal: the wrappers `wrapOn` added to `manager`. */
export let wrappersOf: (manager: ManagerEvents) => ReadonlySet<TokenRequestWrapper> | undefined;

/**
 * The events part of a manager createTokenManager makes (it extends this). Core code reaches it
 * through the functions above, which do nothing for a manager made elsewhere.
 */
export class ManagerEvents {
  /** Created with the first listener: a manager nobody observes holds no emitter. */
  #events: Emitter | undefined;
  /** Instrumentation around token requests (kit `observeTokenRequests`); usually none. */
  #wrappers: Set<TokenRequestWrapper> | undefined;

  constructor(options: Pick<TokenManagerOptions, 'onEvent' | 'debug'>) {
    // The debug printer is on with `debug` or AUTHWIRE_DEBUG=1; without a listener no emitter is made.
    const printer = debugPrinter(options.debug);
    if (options.onEvent || printer) this.#events = new Emitter(options.onEvent, printer);
  }

  subscribe(listener: (event: TokenEvent) => void): () => void {
    this.#events ??= new Emitter(undefined, undefined);
    return this.#events.subscribe(listener);
  }

  // Core-internal functions, set here and not statics: `manager.constructor` hands out nothing.
  static {
    emitOn = (manager, event) => {
      if (!(#events in manager)) return;
      manager.#events?.emit(event);
      // `closed` is the last event: a closed manager keeps no listener.
      if (event.type === 'closed') manager.#events = undefined;
    };
    wrappersOf = (manager) => manager.#wrappers;
    wrapOn = (manager, wrapper) => {
      if (!(#wrappers in manager)) return () => {};
      manager.#wrappers ??= new Set();
      const wrappers = manager.#wrappers;
      wrappers.add(wrapper);
      return () => wrappers.delete(wrapper);
    };
  }
}
