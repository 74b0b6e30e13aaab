// The handler the interceptor dispatches with: passes the response up, or holds a 401 while the seam decides on a retry.
import type { Retry } from '@authwire/core/kit';
import type { Dispatcher } from 'undici';

// Handlers here have undici's current shape: undici 7's `compose` wraps an older one
// (`WrapHandler`), and undici 8 wraps the one an older `fetch` dispatches with through its
// legacy global slot (`Dispatcher1Wrapper`).
type Handler = Dispatcher.DispatchHandler;
type Controller = Dispatcher.DispatchController;
type Headers = Record<string, string | string[] | undefined>;

/** A 401's body up to this size is held while the seam decides; a larger one is passed on as is. */
const MAX_HELD_BYTES = 64 * 1024;

/**
 * The seam's answer to a response: a `Retry` to send once more with, or undefined (pass it on);
 * undefined at once when the seam has nothing to do with it.
 */
export type Decide = (
  status: number,
  headers: Headers,
  retried: string[] | undefined,
) => Promise<Retry | undefined> | undefined;

interface Held {
  readonly status: number;
  readonly headers: Headers;
  readonly message: string | undefined;
  readonly chunks: Buffer[];
  size: number;
  /** The seam's answer, once it came (`null`: pass the response on). */
  answer: Retry | null | undefined;
  /** Set when the response ended before the answer came. */
  ended: Headers | undefined;
}

/**
 * The controller the caller's handler holds: the current attempt's (a retry is a second one).
 * Before the first attempt starts (while a token is awaited) an abort ends the wait instead.
 */
class AttemptController implements Controller {
  current: Controller | undefined;
  #early: AbortController | undefined;
  get signal(): AbortSignal {
    this.#early ??= new AbortController();
    return this.#early.signal;
  }
  get aborted(): boolean {
    return this.current?.aborted ?? this.#early?.signal.aborted ?? false;
  }
  get paused(): boolean {
    return this.current?.paused ?? false;
  }
  get reason(): Error | null {
    return this.current?.reason ?? this.#early?.signal.reason ?? null;
  }
  // undici 8's fetch reads the raw response headers here (their case, repeated names).
  get rawHeaders(): NonNullable<Controller['rawHeaders']> | null {
    return this.current?.rawHeaders ?? null;
  }
  get rawTrailers(): NonNullable<Controller['rawTrailers']> | null {
    return this.current?.rawTrailers ?? null;
  }
  abort(reason: Error): void {
    if (this.current) this.current.abort(reason);
    else this.#early?.abort(reason);
  }
  pause(): void {
    this.current?.pause();
  }
  resume(): void {
    this.current?.resume();
  }
}

export class Relay implements Handler {
  /** Set when the request carries our headers: asked about a 401. */
  decide: Decide | undefined;
  /** Sends the request once more with fresh headers, through this relay; returns the headers sent. */
  resend: ((fresh: Readonly<Record<string, string>>) => string[]) | undefined;
  readonly #up: Handler;
  readonly #controller = new AttemptController();
  #started = false;
  #retried: string[] | undefined;
  #held: Held | undefined;

  constructor(up: Handler) {
    this.#up = up;
  }

  /** Starts the caller's request before it is sent; returns what aborts the wait for a token. */
  start(): AbortSignal {
    const signal = this.#controller.signal;
    this.onRequestStart(undefined, undefined);
    return signal;
  }

  onRequestStart(controller: Controller | undefined, context: unknown): void {
    if (controller) this.#controller.current = controller;
    if (controller && this.#controller.reason) controller.abort(this.#controller.reason);
    if (this.#started) return;
    this.#started = true;
    this.#up.onRequestStart?.(this.#controller, context);
  }

  onRequestUpgrade(_: Controller, status: number, headers: Headers, socket: never): void {
    this.#up.onRequestUpgrade?.(this.#controller, status, headers, socket);
  }

  onResponseStarted(): void {
    this.#up.onResponseStarted?.();
  }

  /**
   * Every response is held while the seam decides (a microtask, unless it is a 401 it heals):
   * passed on as it arrived, or dropped for the one retry.
   */
  onResponseStart(_: Controller, status: number, headers: Headers, message?: string): void {
    const answer = this.decide?.(status, headers, this.#retried);
    if (!answer) {
      this.#up.onResponseStart?.(this.#controller, status, headers, message);
      return;
    }
    const held: Held = {
      status,
      headers,
      message,
      chunks: [],
      size: 0,
      answer: undefined,
      ended: undefined,
    };
    this.#held = held;
    answer
      .then((retry) => {
        held.answer = retry ?? null;
        if (!retry) this.#release();
        if (held.ended) this.#settle(held, held.ended);
      })
      .catch((error: Error) => this.fail(error));
  }

  onResponseData(_: Controller, chunk: Buffer): void {
    const held = this.#held;
    if (!held) {
      this.#up.onResponseData?.(this.#controller, chunk);
      return;
    }
    held.chunks.push(chunk);
    held.size += chunk.length;
    if (held.size > MAX_HELD_BYTES && held.answer !== undefined) this.#release();
  }

  onResponseEnd(_: Controller, trailers: Headers): void {
    const held = this.#held;
    if (!held) {
      this.#up.onResponseEnd?.(this.#controller, trailers);
      return;
    }
    if (held.answer === undefined) held.ended = trailers;
    else this.#settle(held, trailers);
  }

  /** The response ended and the seam answered: resend once, or pass the end on. */
  #settle(held: Held, trailers: Headers): void {
    const retry = held.answer;
    // A caller that gave up meanwhile gets the 401 it no longer reads, not a second request.
    if (!retry || !this.resend || this.#controller.aborted) {
      this.#release();
      this.#up.onResponseEnd?.(this.#controller, trailers);
      return;
    }
    this.#held = undefined;
    this.#retried = this.resend(retry.headers);
  }

  onResponseError(_: Controller, error: Error): void {
    this.fail(error);
  }

  /** Ends the caller's request with `error` (also before it was sent). */
  fail(error: Error): void {
    this.#held = undefined;
    this.#up.onResponseError?.(this.#controller, error);
  }

  /** Passes a held 401 on to the caller as it arrived. */
  #release(): void {
    const held = this.#held;
    if (!held) return;
    this.#held = undefined;
    this.#up.onResponseStart?.(this.#controller, held.status, held.headers, held.message);
    for (const chunk of held.chunks) this.#up.onResponseData?.(this.#controller, chunk);
  }
}
