// The budget of one token fetch (tokenTimeoutMs): what is left of it, what a wait may take of it, and the error when it runs out.
import { TimeoutError } from '../errors/errors.ts';
import { MIN_ATTEMPT_MS, type Settings } from '../options/settings.ts';

/**
 * The time one token fetch may take in all (`tokenTimeoutMs`), on the monotonic clock: each
 * attempt gets at most what is left, and a wait (a mark, the rate gate, a retry's back-off) only
 * what leaves the next attempt time to answer.
 */
export class Budget {
  readonly #monotonic: () => number;
  readonly #started: number;
  readonly #settings: Settings;

  constructor(monotonic: () => number, settings: Settings) {
    this.#monotonic = monotonic;
    this.#started = monotonic();
    this.#settings = settings;
  }

  left(): number {
    return this.#settings.tokenTimeoutMs - (this.#monotonic() - this.#started);
  }

  /** What a wait may take: what is left, less an attempt's time (a second, or requestTimeoutMs if shorter). */
  spare(): number {
    return this.left() - Math.min(MIN_ATTEMPT_MS, this.#settings.requestTimeoutMs);
  }

  /** The error of a fetch that ran out: the time waited and the attempts made. */
  spent(label: string, attempts: number): TimeoutError {
    return new TimeoutError(`Token request to ${label}`, this.#monotonic() - this.#started, {
      attempts,
      requestTimeoutMs: this.#settings.requestTimeoutMs,
      tokenTimeoutMs: this.#settings.tokenTimeoutMs,
    });
  }
}
