// THE seam adapters use: headers for a URL, the retry decision for a response, headers to strip on redirect, names to redact.
import { assertTokenManager, REDACTED } from './body.ts';
import type { AuthorizeOptions, TokenManager } from './manager-types.ts';
import { SENT_AUTHORIZATIONS_KEPT } from './settings.ts';
import { ALLOWS, EMIT, internalsOf, type ManagerInternals, PEEK, WRAP } from './token-manager.ts';
import type { Authorization, SurfacedReason } from './types.ts';
import { endpointLabel, originOf } from './url.ts';

/** What an adapter knows of a request it sent. */
export interface SentRequest {
  /**
   * The request's token header as sent (`Authorization`, or the seam's `tokenHeader`), read back
   * off the request (no bookkeeping).
   */
  readonly authorization: unknown;
  /** The URL it was sent to. */
  readonly url: string | URL;
  /** Whether its body can be sent a second time (see `isReplayableBody`). */
  readonly replayable: boolean;
}

/** What an adapter knows of the response. */
export interface ReceivedResponse {
  readonly status: number;
  /** The URL that answered, after any redirect (`response.url`); omit when the client cannot tell. */
  readonly url?: string | URL | undefined;
}

// A string key, so clients that copy a request's config for the retry (axios) keep the mark.
const RETRIED = '__authwireRetried';
const NONE: ReadonlySet<string> = new Set();

/**
 * The request seam: every adapter and `authFetch` map their client's hooks onto these few calls,
 * and make no decision of their own about origins, 401s, redirects or redaction.
 *
 * @example
 * ```ts
 * const seam = requestAuth(auth);
 * const authorization = seam.headers(url, { signal }); // Authorization | Promise | undefined
 * // ... send, then:
 * const fresh = seam.retry(call, { authorization: sentHeader, url, replayable }, { status, url: finalUrl });
 * if (fresh) resend(await fresh);
 * ```
 */
export class RequestAuth {
  readonly manager: TokenManager;
  /** The manager itself when createTokenManager made it; the slow path's stand-in otherwise. */
  readonly #internal: ManagerInternals;
  /**
   * Lower-cased names of every header this seam handed out: stripped on redirects, redacted. An
   * array (a provider adds one or two names): a set per seam would cost more than it saves.
   */
  #names: readonly string[] | undefined;
  /** The Authorization handed out last, and the few before it, newest first (a 401 names one). */
  #last: Authorization | undefined;
  #earlier: readonly Authorization[] | undefined;
  /** Created with the first retry: most clients never see a 401. */
  #retried: WeakSet<object> | undefined;

  constructor(manager: TokenManager) {
    assertTokenManager(manager);
    this.manager = manager;
    this.#internal = internalsOf(manager) ?? foreignInternals(manager);
  }

  /** Lower-cased names of every header handed out so far. */
  get names(): ReadonlySet<string> {
    return this.#names ? new Set(this.#names) : NONE;
  }

  /**
   * The header whose value identifies the token a request carried: `Authorization`, unless the
   * provider sends its token in a header of its own (Shopify's `X-Shopify-Access-Token`).
   * Adapters read `SentRequest.authorization` from this header.
   */
  get tokenHeader(): string {
    return this.#last?.tokenHeader ?? 'Authorization';
  }

  /** Whether `url`'s origin may receive the token. */
  allows(url: string | URL): boolean {
    return this.#internal[ALLOWS](url);
  }

  /** The cached headers for `url`, or undefined: never waits, never fetches, never throws. */
  peek(url: string | URL): Authorization | undefined {
    const ready = this.#internal[PEEK](url);
    if (ready) this.#remember(ready);
    return ready;
  }

  /**
   * The headers for a request to `url`: at once when a good token is cached, a promise when the
   * request must wait for one, `undefined` when `url` must not get the token.
   */
  headers(
    url: string | URL,
    wait?: AuthorizeOptions,
  ): Authorization | Promise<Authorization | undefined> | undefined {
    const ready = this.#internal[PEEK](url);
    if (ready) {
      this.#remember(ready);
      return ready;
    }
    if (!this.#internal[ALLOWS](url)) return undefined;
    return this.manager.authorize(url, wait).then((authorization) => {
      if (authorization) this.#remember(authorization);
      return authorization;
    });
  }

  /**
   * Whether a response with `status` may be retried at all (a 401): adapters ask this first, so
   * that the common answer costs no allocation before `retry`.
   */
  mayRetry(status: number): boolean {
    return status === 401;
  }

  /**
   * The retry decision, for every response (cheap for anything but a 401). A 401 is healed once:
   * only from one of the token's origins after any redirect, only for a request that carried one
   * of our tokens, only when its body can be sent again, and only once per `call` (any object the
   * adapter keeps per request). Returns fresh headers to send the request once more with, or
   * `undefined` to hand the response to the caller (a 401 then emits `unauthorized_surfaced`).
   */
  retry(
    call: object,
    request: SentRequest,
    response: ReceivedResponse,
    wait?: AuthorizeOptions,
  ): Promise<Authorization | undefined> | undefined {
    if (!this.mayRetry(response.status)) return undefined;
    const answered = response.url === undefined || response.url === '' ? request.url : response.url;
    const sent = this.sentWith(request.authorization);
    if (!sent) {
      if (this.#internal[ALLOWS](answered)) this.#surface(answered, 'no_token');
      return undefined;
    }
    // A 401 from another origin (a redirect left ours, without our headers) says nothing about our token.
    if (!this.#internal[ALLOWS](answered)) return this.#surface(answered, 'foreign_origin');
    if (this.isRetry(call)) return this.#surface(answered, 'retried');
    if (!request.replayable) return this.#surface(answered, 'not_replayable');
    this.markRetried(call);
    return this.manager.reauthorize(answered, sent.token, wait).then((fresh) => {
      if (fresh) this.#remember(fresh);
      return fresh;
    });
  }

  /** The Authorization this seam handed out whose token header (see `tokenHeader`) is `value`. */
  sentWith(value: unknown): Authorization | undefined {
    if (typeof value !== 'string') return undefined;
    const last = this.#last;
    if (last && tokenValue(last) === value) return last;
    return this.#earlier?.find((authorization) => tokenValue(authorization) === value);
  }

  /** Marks `call` as the retry (for a client that sends the retry with a copy of the request). */
  markRetried(call: object): void {
    this.#retried ??= new WeakSet();
    this.#retried.add(call);
    if (Object.isExtensible(call)) (call as Record<string, unknown>)[RETRIED] = true;
  }

  isRetry(call: object): boolean {
    return this.#retried?.has(call) === true || (call as Record<string, unknown>)[RETRIED] === true;
  }

  /** Header names to remove from a request that is redirected to `url` (none when it may get them). */
  stripOnRedirect(url: string | URL | undefined): ReadonlySet<string> {
    return url !== undefined && this.#internal[ALLOWS](url) ? NONE : this.names;
  }

  /** Replaces every header this seam handed out with `[redacted]`, in a Headers or a plain object. */
  redact(headers: Headers | Record<string, unknown> | undefined): void {
    const names = this.#names;
    if (!headers || !names) return;
    if (typeof Headers !== 'undefined' && headers instanceof Headers) {
      for (const name of names) if (headers.has(name)) headers.set(name, REDACTED);
      return;
    }
    const record = headers as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (names.includes(key.toLowerCase()) && record[key] !== undefined) record[key] = REDACTED;
    }
  }

  #remember(authorization: Authorization): void {
    const last = this.#last;
    if (last === authorization) return;
    // Once a token lifetime: rebuilt exactly sized (an array grown in place keeps spare room).
    if (last) {
      const earlier = (this.#earlier ?? []).filter((sent) => sent !== authorization);
      this.#earlier = [last, ...earlier].slice(0, SENT_AUTHORIZATIONS_KEPT - 1);
    }
    this.#last = authorization;
    for (const name of Object.keys(authorization.headers)) {
      const lower = name === 'Authorization' ? 'authorization' : name.toLowerCase();
      if (!this.#names?.includes(lower)) this.#names = namesWith(this.#names, lower);
    }
  }

  #surface(url: string | URL, why: SurfacedReason): undefined {
    this.#internal[EMIT]({
      type: 'unauthorized_surfaced',
      label: this.manager.label,
      url: endpointLabel(url),
      why,
    });
    return undefined;
  }
}

/**
 * The value of the header that carries `authorization`'s token (`Authorization: Bearer …`, or
 * the bare token in the provider's `tokenHeader`): what `SentRequest.authorization` is compared to.
 *
 * @example
 * ```ts
 * seam.retry(call, { authorization: tokenValue(fresh), url, replayable: true }, second);
 * ```
 */
export function tokenValue(authorization: Authorization): string | undefined {
  return authorization.headers[authorization.tokenHeader ?? 'Authorization'];
}

/**
 * The request seam for `manager` (adapters create one per client instance).
 *
 * @example
 * ```ts
 * const seam = requestAuth(auth);
 * ```
 */
export function requestAuth(manager: TokenManager): RequestAuth {
  return new RequestAuth(manager);
}

/**
 * `names` plus `name`, one shared frozen list per set of names (every seam of one provider hands
 * out the same one or two names), for a bounded number of sets.
 */
const NAME_LISTS = new Map<string, readonly string[]>();
const NAME_LISTS_KEPT = 64;
function namesWith(names: readonly string[] | undefined, name: string): readonly string[] {
  const list = names ? names.concat(name) : [name];
  const key = list.join('\n');
  const shared = NAME_LISTS.get(key);
  if (shared) return shared;
  const frozen = Object.freeze(list);
  if (NAME_LISTS.size < NAME_LISTS_KEPT) NAME_LISTS.set(key, frozen);
  return frozen;
}

/** Another TokenManager (not from createTokenManager) gets the slow path only. */
function foreignInternals(manager: TokenManager): ManagerInternals {
  const origins = new Set(manager.origins);
  return {
    [PEEK]: () => undefined,
    [ALLOWS]: (url) => {
      const origin = originOf(url);
      return origin !== undefined && origins.has(origin);
    },
    [EMIT]: () => {},
    [WRAP]: () => () => {},
  };
}

/**
 * Runs `wrap` around each token-request attempt of `manager` (e.g. a tracing span made the
 * active context while the provider sends its requests). Returns a function that removes it.
 *
 * @example
 * ```ts
 * const stop = observeTokenRequests(auth, (info, run) => tracer.startActiveSpan('token', () => run()));
 * ```
 */
export function observeTokenRequests(
  manager: TokenManager,
  wrap: import('./types.ts').TokenRequestWrapper,
): () => void {
  return (internalsOf(manager) ?? foreignInternals(manager))[WRAP](wrap);
}
