// The budget of one token fetch (tokenTimeoutMs): what is left of it, whether a retry fits, and the error when it runs out.
import { TimeoutError } from '../errors/errors.ts';
import { MIN_ATTEMPT_MS, type Settings } from '../options/settings.ts';

/**
 * The time one token fetch may take in all (`tokenTimeoutMs`), on the monotonic clock: each
 * attempt gets at most what is left, and a retry is only sent when it has time to answer.
 */
export class Budget {
  readonly #monotonic: () => number;
  readonly #started: number;
  readonly #ms: number;

  constructor(monotonic: () => number, ms: number) {
    this.#monotonic = monotonic;
    this.#started = monotonic();
    this.#ms = ms;
  }

  left(): number {
    return this.#ms - (this.#monotonic() - this.#started);
  }

  /** Whether waiting `delayMs` still leaves an attempt its time (a second, or requestTimeoutMs if shorter). */
  fits(delayMs: number, requestTimeoutMs: number): boolean {
    return this.left() - delayMs >= Math.min(MIN_ATTEMPT_MS, requestTimeoutMs);
  }

  /** The error of a fetch that ran out: the time waited and the attempts made. */
  spent(label: string, attempts: number, settings: Settings): TimeoutError {
    return new TimeoutError(`Token request to ${label}`, this.#monotonic() - this.#started, {
      attempts,
      requestTimeoutMs: settings.requestTimeoutMs,
      tokenTimeoutMs: this.#ms,
    });
  }
}
