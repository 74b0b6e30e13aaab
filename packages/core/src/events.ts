// The manager's event listeners: synchronous, isolated (a throwing listener changes nothing), with the debug printer.
import { debugPrinter } from './debug.ts';
import type { TokenEvent } from './types.ts';

export type Listener = (event: TokenEvent) => void;

export class Emitter {
  readonly #listeners = new Set<Listener>();

  constructor(
    onEvent: Listener | undefined,
    debug: boolean | ((line: string) => void) | undefined,
  ) {
    if (onEvent) this.#listeners.add(onEvent);
    const printer = debugPrinter(debug);
    if (printer) this.#listeners.add(printer);
  }

  /** Whether anyone listens: callers skip building events nobody reads. */
  get active(): boolean {
    return this.#listeners.size > 0;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: TokenEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // Observability must not change behaviour.
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
