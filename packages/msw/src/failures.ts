// Failure injection: what the next token-endpoint or API calls should do instead of answering normally.
import { HttpResponse } from 'msw/http';
import { delay } from 'msw/utils/delay';

/** Failures that happen in front of the platform: proxies, gateways, the network. */
export type TransportFailure =
  | { readonly status: 500 | 502 | 503 }
  /** `retryAfter` in seconds or as an HTTP date; the header is omitted when undefined. */
  | { readonly status: 429; readonly retryAfter?: number | string }
  /** 200 with `Content-Type: application/json` and a truncated body. */
  | 'malformed-json'
  /** An HTML error page with status 502 (`'html'`) or the given status. */
  | 'html'
  | { readonly html: 200 | 502 }
  /** 200 with an empty body. */
  | 'empty'
  /** The connection fails: `fetch` rejects with a `TypeError`. */
  | 'network-error'
  /** Waits `delayMs`, then answers normally. */
  | { readonly delayMs: number };

/** Token responses that succeed at the HTTP level but carry a broken body. */
export type TokenBodyFailure =
  /** 200 without `access_token`. */
  | 'missing-access-token'
  /** 200 with this `expires_in` value (`undefined` omits the field). The token itself stays valid for the configured lifetime. */
  | { readonly expiresIn: unknown }
  /** 200 with an opaque (non-JWT) access token, valid on the API. */
  | 'not-jwt';

/**
 * A failure for the token endpoint (`failNext`).
 *
 * @example
 * ```ts
 * mock.control.failNext(2, { status: 503 });
 * mock.control.failNext(1, { status: 429, retryAfter: 5 });
 * mock.control.failNext(1, 'not-jwt');
 * ```
 */
export type TokenEndpointFailure = TransportFailure | TokenBodyFailure;

/**
 * A failure for API calls (`failNextApi`). `{ status: 401 }` is a spurious 401 in the platform's
 * own shape, even for a valid token — the case a client's "refresh and retry once" must handle.
 *
 * @example
 * ```ts
 * mock.control.failNextApi(1, { status: 401 });
 * ```
 */
export type ApiFailure = TransportFailure | { readonly status: 401 };

/** What a handler does with the failure it took from the queue. */
export type FailurePlan =
  | { readonly kind: 'respond'; readonly response: Response }
  | { readonly kind: 'continue' }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'token-body'; readonly failure: TokenBodyFailure };

/** A FIFO of failures, each consumed by one call. */
export class FailureQueue<T> {
  #items: T[] = [];

  push(count: number, failure: T): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`failure count must be a non-negative integer, got ${count}`);
    }
    for (let i = 0; i < count; i++) this.#items.push(failure);
  }

  take(): T | undefined {
    return this.#items.shift();
  }

  get size(): number {
    return this.#items.length;
  }

  clear(): void {
    this.#items = [];
  }
}

const STATUS_TEXT: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function htmlPage(status: number): Response {
  const title = status === 200 ? 'Sign in' : `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
  return new HttpResponse(
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`,
    { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } },
  );
}

/** Turns a failure into what the handler should do; waits first for `{ delayMs }`. */
export async function planFailure(
  failure: TokenEndpointFailure | ApiFailure | undefined,
): Promise<FailurePlan> {
  if (failure === undefined) return { kind: 'continue' };
  if (failure === 'network-error') return { kind: 'respond', response: HttpResponse.error() };
  if (failure === 'malformed-json') {
    return {
      kind: 'respond',
      response: new HttpResponse('{"access_token":"eyJhbGciOi', {
        status: 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      }),
    };
  }
  if (failure === 'html') return { kind: 'respond', response: htmlPage(502) };
  if (failure === 'empty') {
    return { kind: 'respond', response: new HttpResponse(null, { status: 200 }) };
  }
  if (failure === 'missing-access-token' || failure === 'not-jwt') {
    return { kind: 'token-body', failure };
  }
  if ('expiresIn' in failure) return { kind: 'token-body', failure };
  if ('html' in failure) return { kind: 'respond', response: htmlPage(failure.html) };
  if ('delayMs' in failure) {
    await delay(failure.delayMs);
    return { kind: 'continue' };
  }
  if (failure.status === 401) return { kind: 'unauthorized' };
  if (failure.status === 429) {
    const headers = new Headers();
    if (failure.retryAfter !== undefined) headers.set('Retry-After', String(failure.retryAfter));
    return { kind: 'respond', response: new HttpResponse(null, { status: 429, headers }) };
  }
  return {
    kind: 'respond',
    response: new HttpResponse(STATUS_TEXT[failure.status] ?? 'Error', {
      status: failure.status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    }),
  };
}
