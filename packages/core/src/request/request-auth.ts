// THE request seam: every adapter, authFetch and the undici interceptor make these two calls and nothing else.
import { InvalidOptionsError } from '../errors/errors.ts';
import { REDACTED } from '../errors/redact.ts';
import type { TokenManager } from '../manager/manager-types.ts';
import { cachedOn, emitOn } from '../manager/token-manager.ts';
import { SENT_TOKENS_KEPT } from '../options/settings.ts';
import type { Authorization, Challenge, SurfacedReason, Token } from '../types.ts';
import { type HeaderSource, headerGetter, setHeaders } from './headers.ts';
import { endpointLabel, isAllowedOrigin } from './origins.ts';
import { type Replay, replayOf } from './replay.ts';
import type { IncomingResponse, OutgoingRequest, Retry } from './seam-types.ts';

/** RFC 9110 §15.5.2: the status that says the credentials were not accepted. */
const UNAUTHORIZED = 401;
/**
 * What a seam remembers before its first request: one empty list for all, copied on the first
 * write (bench 4, "axios instance wrapped": two empty arrays per client instance, 64 B).
 */
const NONE: readonly never[] = [];
/** A string key, so clients that copy a request's config for the retry (axios) keep the mark. */
const RETRIED = '__authwireRetried';
/**
 * What a seam learns from its requests, only to skip work again (bench 1b′, callgrind): the last URL
 * string allowed and the frozen origins list that allowed it; the last frozen Authorization noted;
 * the last frozen headers `fetchWouldLeak` answered, and its answer. And the calls retried once,
 * and unsent copies of `Request` bodies for the one retry, by call.
 */
class Known {
  allowedUrl: string | undefined = undefined;
  allowedBy: readonly string[] | undefined = undefined;
  handedOut: Authorization | undefined = undefined;
  leakChecked: object | undefined = undefined;
  leaks = false;
  retried: WeakSet<object> | undefined = undefined;
  copies: WeakMap<object, Replay> | undefined = undefined;
}
/** What a token was sent as: the header that carries it, and its value. */
interface Sent {
  readonly token: Token;
  readonly name: string;
  readonly value: string;
}

/**
 * The request seam. `authorize(request)` → the headers to set (or none: another origin);
 * `onResponse(request, response)` → done (`undefined`), or a `Retry` to send once. Behind them:
 * which origins get a token, which token a 401 was sent with (whatever header carried it), whether
 * the body can be sent again, the one retry per call, the second-401 report, and which headers to
 * strip on a redirect or redact in an error.
 *
 * @example
 * ```ts
 * const seam = requestAuth(auth);
 * const request = { method: 'GET', url, headers };
 * Object.assign(headers, await seam.authorize(request));
 * const response = await send(url, headers);
 * const retry = await seam.onResponse(request, response);
 * if (retry) return send(url, { ...headers, ...retry.headers });
 * ```
 */
export class RequestAuth {
  readonly manager: TokenManager;
  /** Lower-cased names of every header handed out: stripped on redirects, redacted in errors. */
  #names: readonly string[] = NONE;
  /** The tokens handed out last, newest first (a 401 names one of them by its header). */
  #sent: readonly Sent[] = NONE;
  /** Made by the first request (bench 4, "axios instance wrapped": one slot, not seven, ~48 B). */
  #state: Known | undefined;

  constructor(manager: TokenManager) {
    assertTokenManager(manager);
    this.manager = manager;
  }

  /** Whether `url`'s origin may receive the token. */
  allows(url: string | URL): boolean {
    const { origins } = this.manager;
    const state = this.#state;
    if (url === state?.allowedUrl && origins === state.allowedBy) return true;
    if (!isAllowedOrigin(origins, url)) return false;
    if (typeof url === 'string' && Object.isFrozen(origins)) {
      Object.assign(this.#known(), { allowedUrl: url, allowedBy: origins });
    }
    return true;
  }

  /** The headers to set on `request`, or undefined when its origin must not get the token. */
  async authorize(request: OutgoingRequest): Promise<Readonly<Record<string, string>> | undefined> {
    const authorization = await this.manager.authorize(request.url, waitOf(request));
    return authorization && this.#handOut(request, authorization);
  }

  /**
   * The headers at once while a good token is cached, else `undefined` (`authorize` would wait,
   * or another origin): for a client whose hooks must answer synchronously (axios keeps its
   * synchronous dispatch with it: bench 1b, callgrind, axios +441k instructions per request
   * without), and for any client, before the promise `authorize` costs (bench 1b′). A manager not
   * made by `createTokenManager` never answers here.
   */
  cached(request: OutgoingRequest): Readonly<Record<string, string>> | undefined {
    const { url } = request;
    if (!this.allows(url)) return undefined;
    const authorization = cachedOn(this.manager, url, request.method);
    return authorization && this.#handOut(request, authorization);
  }

  /**
   * Whether `onResponse` has anything to do with a response of `status`: a 401, or a provider
   * that reads every response (DPoP nonces). A client skips the call, and its promise, otherwise
   * (bench 1b′, callgrind: own instructions per request).
   */
  wants(status: number): boolean {
    return status === UNAUTHORIZED || this.manager.responded !== undefined;
  }

  /**
   * After a response: `undefined` hands it to the caller; a `Retry` asks for the request once
   * more. A 401 is healed once per call, only from one of the token's origins after any redirect,
   * only for a request that carried one of our tokens, and only when its body can be sent again;
   * any other 401 emits `unauthorized_surfaced` saying why.
   */
  async onResponse(
    request: OutgoingRequest,
    response: IncomingResponse,
  ): Promise<Retry | undefined> {
    const answered = response.url || request.url;
    const { responded } = this.manager;
    // Only for providers that listen: a DPoP nonce, on a success or on a 401 not retried.
    if (responded && this.allows(answered)) {
      responded.call(this.manager, challengeOf(answered, response));
    }
    if (response.status !== UNAUTHORIZED) return undefined;
    const call = request.call ?? request;
    const sent = this.#sentWith(request.headers);
    if (!sent) return this.allows(answered) ? this.#surface(answered, 'no_token') : undefined;
    // A 401 from another origin (a redirect left ours, without our headers) says nothing of our token.
    if (!this.allows(answered)) return this.#surface(answered, 'foreign_origin');
    if (this.#isRetried(call)) return this.#surface(answered, 'retried');
    // A body-less `Request` is sent again as it is: no copy was kept (`#handOut`).
    const replay = request.fetchRequest?.body ? this.#state?.copies?.get(call) : replayOf(request);
    if (!replay) return this.#surface(answered, 'not_replayable');
    this.#markRetried(call);
    const fresh = await this.manager.reauthorize(answered, sent.token, {
      ...waitOf(request),
      challenge: challengeOf(answered, response),
    });
    if (!fresh) return undefined;
    this.#remember(fresh);
    const copy = replay === true ? undefined : replay();
    if (!copy) return { headers: fresh.headers };
    setHeaders(copy.headers, fresh.headers);
    return { headers: fresh.headers, request: copy };
  }

  /** Before following a redirect to `url`: removes what this seam handed out unless `url` may get it. */
  onRedirect(url: string | URL | undefined, headers: Headers | Record<string, unknown>): void {
    if (url === undefined || !this.allows(url)) this.#rewrite(headers, undefined);
  }

  /** Whether fetch's own redirects would carry `headers` (handed out here) to another origin: fetch
   * drops only `Authorization` (Fetch, "HTTP-redirect fetch"), not X-Shopify-Access-Token nor
   * Norce's ApplicationId beside it; then `sendFollowing` follows them. */
  fetchWouldLeak(headers: Readonly<Record<string, string>>): boolean {
    // The same frozen headers (one object per token) are answered from the last call (bench 1b′,
    // callgrind: own instructions per request).
    const state = this.#state;
    if (headers === state?.leakChecked) return state.leaks;
    let leaks = false;
    for (const name in headers) if (name.toLowerCase() !== 'authorization') leaks = true;
    if (Object.isFrozen(headers)) {
      Object.assign(this.#known(), { leakChecked: headers, leaks });
    }
    return leaks;
  }

  /** Replaces every header this seam handed out with `[redacted]`, in a Headers or a record. */
  redact(headers: Headers | Record<string, unknown> | undefined): void {
    if (headers) this.#rewrite(headers, REDACTED);
  }

  /** Deletes (`value` undefined) or overwrites every header this seam handed out that is set. */
  #rewrite(headers: Headers | Record<string, unknown>, value: string | undefined): void {
    if (headers instanceof Headers) {
      for (const name of this.#names) {
        if (value === undefined) headers.delete(name);
        else if (headers.has(name)) headers.set(name, value);
      }
      return;
    }
    for (const key of Object.keys(headers)) {
      if (!this.#names.includes(key.toLowerCase())) continue;
      if (value === undefined) delete headers[key];
      else if (headers[key] !== undefined) headers[key] = value;
    }
  }

  /** Notes what is handed out for `request`, and keeps an unsent copy of a `Request` body. */
  #handOut(
    request: OutgoingRequest,
    authorization: Authorization,
  ): Readonly<Record<string, string>> {
    if (authorization !== this.#state?.handedOut) this.#remember(authorization);
    if (request.fetchRequest?.body) {
      const known = this.#known();
      known.copies ??= new WeakMap();
      known.copies.set(request.call ?? request, replayOf(request));
    }
    return authorization.headers;
  }

  /** Notes the token `authorization` carries and the header it is carried in. */
  #remember(authorization: Authorization): void {
    const { token, headers } = authorization;
    // A frozen one (one per token) needs no second look (bench 1b′, callgrind).
    if (Object.isFrozen(authorization)) this.#known().handedOut = authorization;
    if (this.#sent[0]?.token === token) return;
    for (const name in headers) {
      const lower = name.toLowerCase();
      if (!this.#names.includes(lower)) this.#names = [...this.#names, lower];
    }
    const name = Object.keys(headers).find((n) => headers[n]?.includes(token.accessToken));
    if (name === undefined) return;
    const value = headers[name] as string;
    const kept = this.#sent.filter((s) => s.token !== token).slice(0, SENT_TOKENS_KEPT - 1);
    this.#sent = [{ token, name, value }, ...kept];
  }

  /** The token a request carried, found by the header our seam put it in. */
  #sentWith(headers: HeaderSource): Sent | undefined {
    const get = headerGetter(headers);
    return this.#sent.find((sent) => get(sent.name) === sent.value);
  }

  #isRetried(call: object): boolean {
    return (
      this.#state?.retried?.has(call) === true ||
      (call as Record<string, unknown>)[RETRIED] === true
    );
  }

  #markRetried(call: object): void {
    const known = this.#known();
    known.retried ??= new WeakSet();
    known.retried.add(call);
    if (Object.isExtensible(call)) (call as Record<string, unknown>)[RETRIED] = true;
  }

  #known(): Known {
    this.#state ??= new Known();
    return this.#state;
  }

  #surface(url: string | URL, why: SurfacedReason): undefined {
    const { manager } = this;
    const { label } = manager;
    emitOn(manager, { type: 'unauthorized_surfaced', label, url: endpointLabel(url), why });
    return undefined;
  }
}

function waitOf({ signal, timeoutMs, method }: OutgoingRequest) {
  return { signal: signal ?? undefined, timeoutMs, method };
}

function challengeOf(url: string | URL, { status, headers }: IncomingResponse): Challenge {
  return { status, url: String(url), headers: headerGetter(headers) };
}

/**
 * The request seam for `manager` (an adapter creates one per client instance).
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
 * Adapters call this on the `auth` they are given, so a missing or wrong value fails at once
 * with a typed error instead of a TypeError on the first request.
 */
function assertTokenManager(value: unknown): asserts value is TokenManager {
  const candidate = value as Partial<TokenManager> | null | undefined;
  if (
    typeof candidate?.authorize !== 'function' ||
    typeof candidate.reauthorize !== 'function' ||
    !Array.isArray(candidate.origins)
  ) {
    throw new InvalidOptionsError(
      'auth',
      'auth must be a TokenManager (from createTokenManager(), norce() or oracleCommerce())',
    );
  }
}
