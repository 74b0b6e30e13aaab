// Sends one token request and maps every outcome to a Token or a typed error.

import {
  InvalidTokenResponseError,
  RateLimitedError,
  ResponseTooLargeError,
  scrubbedError,
  TokenEndpointError,
  type TokenEndpointErrorDetails,
} from '../errors/errors.ts';
import { cleanServerText, queryValues, scrub } from '../errors/redact.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../options/settings.ts';
import { parseRetryAfter } from '../rate-limit/backoff.ts';
import { endpointLabel, secureUrl } from '../request/origins.ts';
import type { ParsedError, Token, TokenRequest } from '../types.ts';
import { classifyNetworkFailure, describeNetworkFailure } from './network-failure.ts';
import { readTokenResponse } from './token-response.ts';

export interface SendOptions {
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly signal: AbortSignal;
  readonly secrets: readonly string[];
  readonly defaultLifetimeMs: number;
  /** A 429 without Retry-After waits this long. */
  readonly defaultRetryAfterMs: number;
  /**
   * Largest response body read, in decoded bytes (after Content-Encoding): past it the stream is
   * cancelled and the request fails with `ResponseTooLargeError`. Default 64 KiB.
   */
  readonly maxResponseBytes?: number | undefined;
  /** What to check when the endpoint's host does not resolve (the provider's `hostNotFoundHint`). */
  readonly hostNotFoundHint?: string | undefined;
}

export { DEFAULT_MAX_RESPONSE_BYTES };

/** RFC 6749 §5.2 error bodies: `{ error, error_description }`. */
export function parseOAuthError(body: unknown): ParsedError | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, error_description: description } = body as Record<string, unknown>;
  if (typeof error !== 'string') return undefined;
  return typeof description === 'string' ? { error, errorDescription: description } : { error };
}

/** A non-token answer from a provider endpoint (e.g. a logout). */
export interface EndpointResponse {
  readonly status: number;
  /** The parsed JSON body, or undefined when it is not JSON. */
  readonly body: unknown;
}

/** The credential in a request's own `Authorization` header (`Bearer <token>`, `Basic <b64>`). */
function sentCredentials(headers: Headers): string[] {
  const authorization = headers.get('authorization');
  if (!authorization) return [];
  const credentials = authorization.replace(/^\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+\s+/, '');
  return credentials === authorization ? [authorization] : [credentials, authorization];
}

/**
 * Sends one request to a provider endpoint; non-2xx answers become typed errors. Everything read
 * back (messages, error fields, causes) is scrubbed of the provider's secrets *and* of whatever
 * this request sent in its own Authorization header (Oracle's /refresh and /logout send the live
 * access token as the bearer).
 */
async function exchange(request: TokenRequest, options: SendOptions) {
  const url = secureUrl(request.url, 'token endpoint');
  const endpoint = endpointLabel(url);
  let headers: Headers;
  try {
    headers = new Headers(request.headers);
  } catch {
    // Headers' own TypeError quotes the value, which may be a credential.
    throw endpointError(endpoint, 'not sent: a header is malformed', { retryable: false });
  }
  if (request.body !== undefined && !headers.has('content-type')) {
    headers.set('content-type', 'application/x-www-form-urlencoded');
  }
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  // A token URL's query values (`?code=…`) are credentials too: a server may quote them back.
  const secrets = [...options.secrets, ...sentCredentials(headers), ...queryValues(url)];
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const sentAt = options.now();
  let response: Response;
  let text: string;
  // Called unbound, never as `options.fetch(…)`: workerd's fetch throws "Illegal invocation"
  // when its `this` is anything but the global object (a user may pass `fetch` itself).
  const send = options.fetch;
  try {
    response = await send(url, {
      method: request.method ?? 'POST',
      headers,
      body: request.body === undefined ? null : request.body.toString(),
      signal: options.signal,
      // A redirect would carry the credentials to wherever it points, so it is never followed.
      // 'manual', not 'error': Cloudflare Workers refuse 'error' ("does not make sense at the
      // edge; use 'manual' and check the response status code"), and every runtime has 'manual'.
      redirect: 'manual',
    });
    request.readHeaders?.(response.headers);
    if (isRedirect(response)) {
      await response.body?.cancel().catch(() => {});
      throw redirected(endpoint, response.status);
    }
    text = await readBounded(response, limit, endpoint);
  } catch (cause) {
    if (options.signal.aborted) throw options.signal.reason;
    if (cause instanceof ResponseTooLargeError || cause instanceof TokenEndpointError) throw cause;
    throw networkError(cause, url, endpoint, secrets, options.hostNotFoundHint);
  }

  const { status } = response;
  if (status === 429) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), options.now());
    throw new RateLimitedError(endpoint, retryAfter ?? options.defaultRetryAfterMs);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {}
  if (status < 200 || status >= 300) {
    let parsed: ParsedError | undefined;
    try {
      parsed = (request.parseError ?? parseOAuthError)(body);
    } catch {}
    const clean = (value: unknown): string | undefined =>
      typeof value === 'string' ? cleanServerText(value, secrets) : undefined;
    const error = clean(parsed?.error);
    const errorDescription = clean(parsed?.errorDescription);
    const detail = error ? `: ${error}${errorDescription ? ` (${errorDescription})` : ''}` : '';
    throw endpointError(endpoint, `failed with HTTP ${status}${detail}`, {
      status,
      retryable: status >= 500 || status === 408,
      error,
      errorDescription,
    });
  }
  return { endpoint, sentAt, status, body, text };
}

/**
 * A request that got no answer, with its cause named in the message (`host … not found
 * (ENOTFOUND)`, `connection refused by …`, a TLS failure, a reset): only a kind, a code and the
 * host are added, never the runtime's own text (it may quote the request).
 */
function networkError(
  cause: unknown,
  url: URL,
  endpoint: string,
  secrets: readonly string[],
  hint: string | undefined,
): TokenEndpointError {
  const failure = classifyNetworkFailure(cause);
  const what = describeNetworkFailure(failure, url.host, hint);
  return endpointError(endpoint, `failed: ${what}`, {
    retryable: true,
    network: failure.kind,
    cause: scrubbedError(cause, (message) => scrub(message, secrets)),
  });
}

/**
 * Whether the endpoint answered with a redirect (under `redirect: 'manual'`): a 3xx as Node, Bun,
 * Deno and workerd return it, or the status-0 `opaqueredirect` a browser returns instead.
 */
function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
}

/**
 * A redirect is the endpoint's answer, not a network fault: retrying gets the same redirect, and
 * following it would send the credentials elsewhere. The Location is not quoted (it may carry a
 * code or token in its query).
 */
function redirected(endpoint: string, status: number): TokenEndpointError {
  return endpointError(endpoint, 'was redirected, not followed', {
    status: status === 0 ? undefined : status,
    retryable: false,
  });
}

/** Every TokenEndpointError of a token request reads `Token request to <endpoint> <what>`. */
function endpointError(
  endpoint: string,
  what: string,
  details: Omit<TokenEndpointErrorDetails, 'endpoint'>,
): TokenEndpointError {
  return new TokenEndpointError(`Token request to ${endpoint} ${what}`, { endpoint, ...details });
}

/**
 * The body as text, reading at most `limit` decoded bytes: a gzip bomb or a 50 MB JSON is
 * cancelled at the limit instead of being buffered whole (`response.text()` has no cap).
 */
async function readBounded(response: Response, limit: number, endpoint: string): Promise<string> {
  const tooLarge = (): ResponseTooLargeError =>
    new ResponseTooLargeError(endpoint, response.status, limit);
  const length = Number(response.headers.get('content-length'));
  // Without a Content-Encoding the length is the decoded size: refuse without reading.
  if (!response.headers.has('content-encoding') && Number.isFinite(length) && length > limit) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  const stream = response.body;
  if (!stream) return '';
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return text + decoder.decode();
}

export async function sendRequest(
  request: TokenRequest,
  options: SendOptions,
): Promise<EndpointResponse> {
  const { status, body } = await exchange(request, options);
  return { status, body };
}

export async function sendTokenRequest(
  request: TokenRequest,
  options: SendOptions,
): Promise<Token> {
  const { endpoint, sentAt, status, body, text } = await exchange(request, options);
  if (body === undefined) {
    const kind =
      text.trim() === ''
        ? 'the body is empty'
        : /^\s*</.test(text)
          ? 'the body is HTML, not JSON'
          : 'the body is not valid JSON';
    throw new InvalidTokenResponseError(endpoint, status, kind);
  }
  return readTokenResponse(body, {
    endpoint,
    status,
    sentAt,
    defaultLifetimeMs: options.defaultLifetimeMs,
    tokenTypes: request.tokenTypes,
  });
}
