// The manager's event listeners: synchronous, isolated (a throwing listener changes nothing), with the debug printer.
import type { TokenEvent } from './types.ts';

export type Listener = (event: TokenEvent) => void;

export class Emitter {
  /** Created with the first listener: a manager nobody observes holds no set. */
  #listeners: Set<Listener> | undefined;

  constructor(onEvent: Listener | undefined, printer: Listener | undefined) {
    if (onEvent) this.subscribe(onEvent);
    if (printer) this.subscribe(printer);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners ??= new Set();
    this.#listeners.add(listener);
    return () => this.#listeners?.delete(listener);
  }

  emit(event: TokenEvent): void {
    if (!this.#listeners) return;
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // Observability must not change behaviour.
      }
    }
  }
}
