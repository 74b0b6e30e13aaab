// The manager's event listeners (synchronous, isolated) and the debug printer (`AUTHWIRE_DEBUG=1` or `debug`), redacted by construction.

import { sanitizeText } from '../errors/redact.ts';
import type { TokenEvent } from '../types.ts';

export type Listener = (event: TokenEvent) => void;

/** Listeners, called synchronously and isolated; made only once a manager has one (ManagerEvents). */
export class Emitter {
  readonly #listeners = new Set<Listener>();

  constructor(onEvent: Listener | undefined, printer: Listener | undefined) {
    if (onEvent) this.#listeners.add(onEvent);
    if (printer) this.#listeners.add(printer);
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
}

/** The listener that prints events, or undefined when debugging is off. */
export function debugPrinter(
  option: boolean | ((line: string) => void) | undefined,
): ((event: TokenEvent) => void) | undefined {
  const enabled = option === undefined ? envFlag() : option !== false;
  if (!enabled) return undefined;
  const write = typeof option === 'function' ? option : stderr;
  return (event) => write(formatEvent(event));
}

/**
 * `authwire token_acquired norce acme.api-se.stage.norce.tech/identity/1.0/connect/token reason=initial attempt=1 durationMs=12 expiresInMs=3599988`.
 * Events hold no secret; of an error only its class, code and (scrubbed) message are printed.
 *
 * @example
 * createTokenManager(provider, { origins, onEvent: (event) => logger.debug(formatEvent(event)) });
 */
export function formatEvent(event: TokenEvent): string {
  const parts = [`authwire ${event.type} ${event.label}`];
  for (const [name, value] of Object.entries(event)) {
    if (name === 'type' || name === 'label' || value === undefined) continue;
    if (value instanceof Error) {
      const code = (value as { code?: unknown }).code;
      parts.push(
        `error=${value.name}${typeof code === 'string' ? `(${code})` : ''}: ${sanitizeText(value.message)}`,
      );
    } else {
      parts.push(
        `${name}=${typeof value === 'number' ? Math.round(value) : sanitizeText(String(value))}`,
      );
    }
  }
  return parts.join(' ');
}

/** `AUTHWIRE_DEBUG` set to anything but empty, `0` or `false`. */
function envFlag(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return !/^(0|false)?$/i.test(env?.AUTHWIRE_DEBUG ?? '');
}

function stderr(line: string): void {
  const process = (globalThis as { process?: { stderr?: { write(text: string): unknown } } })
    .process;
  if (process?.stderr) process.stderr.write(`${line}\n`);
  else console.error(line);
}
