// Event fan-out: a throwing listener never breaks token handling.
import type { TokenEvent } from './types.ts';

export class Emitter {
  readonly #listeners = new Set<(event: TokenEvent) => void>();

  subscribe(listener: (event: TokenEvent) => void): () => void {
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
