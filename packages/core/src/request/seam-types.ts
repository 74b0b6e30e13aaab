// What the request seam is handed and answers: a request about to be sent, the response it got, a retry to send.
import type { HeaderSource } from './headers.ts';

/**
 * A request as the client is about to send it (or sent it).
 *
 * @example
 * ```ts
 * await seam.authorize({ method: 'POST', url, headers, body, signal, timeoutMs });
 * ```
 */
export interface OutgoingRequest {
  /** Default `GET`. Per-request headers (a DPoP proof) are computed from method and URL. */
  readonly method?: string | undefined;
  readonly url: string | URL;
  /** Its headers as sent: read back after a 401 to learn which token the request carried. */
  readonly headers?: HeaderSource;
  /** The body as the caller gave it: it decides whether a 401 can be retried (`isReplayable`). */
  readonly body?: unknown;
  /** A fetch-based client's `Request`, about to be sent: the seam copies it for the retry. */
  readonly fetchRequest?: Request | undefined;
  /** The caller's own say on replay (authFetch's `replayable` option); default: the body decides. */
  readonly replayable?: boolean | undefined;
  /**
   * The object that stands for this call across its retry (axios' config, got's options): the one
   * retry is counted on it. Default: this request object itself, passed again to `onResponse`.
   */
  readonly call?: object;
  /** Bounds the wait for a token, e.g. with the client's own signal and timeout. */
  readonly signal?: AbortSignal | null | undefined;
  readonly timeoutMs?: number | undefined;
}

/**
 * What the client received.
 *
 * @example
 * ```ts
 * const retry = await seam.onResponse(request, { status: res.status, url: res.url, headers: res.headers });
 * ```
 */
export interface IncomingResponse {
  readonly status: number;
  /** The URL that answered, after any redirect (`response.url`); omit when the client cannot tell. */
  readonly url?: string | URL | undefined;
  /** Its headers (a `WWW-Authenticate` or `DPoP-Nonce` challenge is read from them). */
  readonly headers?: HeaderSource;
}

/**
 * Send the request once more: with these headers set, or (for a `Request`) this copy instead.
 *
 * @example
 * ```ts
 * if (retry) return send(retry.request ?? request, retry.headers);
 * ```
 */
export interface Retry {
  readonly headers: Readonly<Record<string, string>>;
  /** An unsent copy of a `Request` body, with `headers` already set. */
  readonly request?: Request;
}
