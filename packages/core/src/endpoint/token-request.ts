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
  /** Largest body read, in decoded bytes (default 64 KiB): past it, `ResponseTooLargeError`. */
  readonly maxResponseBytes?: number | undefined;
  /** What to check when the endpoint's host does not resolve (the provider's `hostNotFoundHint`). */
  readonly hostNotFoundHint?: string | undefined;
}

/** RFC 6749 §5.2 error bodies: `{ error, error_description }`. */
export function parseOAuthError(body: unknown): ParsedError | undefined {
  const { error, error_description: description } = (body ?? {}) as Record<string, unknown>;
  if (typeof error !== 'string') return undefined;
  return typeof description === 'string' ? { error, errorDescription: description } : { error };
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
  // Every TokenEndpointError of a token request reads `Token request to <endpoint> <what>`.
  const fail = (what: string, details: Omit<TokenEndpointErrorDetails, 'endpoint'>) =>
    new TokenEndpointError(`Token request to ${endpoint} ${what}`, { endpoint, ...details });
  let headers: Headers;
  try {
    headers = new Headers(request.headers);
  } catch {
    // Headers' own TypeError quotes the value, which may be a credential.
    throw fail('not sent: a header is malformed', { retryable: false });
  }
  if (request.body !== undefined && !headers.has('content-type')) {
    headers.set('content-type', 'application/x-www-form-urlencoded');
  }
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  // A token URL's query values (`?code=…`) are credentials too: a server may quote them back.
  const secrets = [...options.secrets, ...sentCredentials(headers), ...queryValues(url)];
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
    const { status } = response;
    // A 3xx (Node, Bun, Deno, workerd) or a browser's status-0 `opaqueredirect`: the endpoint's
    // answer, not a fault to retry. Its Location is not quoted (it may carry a code or token).
    if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
      await response.body?.cancel().catch(() => {});
      throw fail('was redirected, not followed', { status: status || undefined, retryable: false });
    }
    text = await readBounded(
      response,
      options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      endpoint,
    );
  } catch (cause) {
    if (options.signal.aborted) throw options.signal.reason;
    if (cause instanceof ResponseTooLargeError || cause instanceof TokenEndpointError) throw cause;
    // No answer: the message names a kind, a code and the host, never the runtime's own text.
    const failure = classifyNetworkFailure(cause);
    throw fail(`failed: ${describeNetworkFailure(failure, url.host, options.hostNotFoundHint)}`, {
      retryable: true,
      network: failure.kind,
      cause: scrubbedError(cause, (message) => scrub(message, secrets)),
    });
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
    const clean = (value: unknown) =>
      typeof value === 'string' ? cleanServerText(value, secrets) : undefined;
    const error = clean(parsed?.error);
    const errorDescription = clean(parsed?.errorDescription);
    const detail = error ? `: ${error}${errorDescription ? ` (${errorDescription})` : ''}` : '';
    throw fail(`failed with HTTP ${status}${detail}`, {
      status,
      retryable: status >= 500 || status === 408,
      error,
      errorDescription,
    });
  }
  return { endpoint, sentAt, status, body, text };
}

/**
 * The body as text, reading at most `limit` decoded bytes: a gzip bomb or a 50 MB JSON is
 * cancelled at the limit instead of being buffered whole (`response.text()` has no cap). Without
 * a Content-Encoding the declared length is the decoded size: refused before reading.
 */
async function readBounded(response: Response, limit: number, endpoint: string): Promise<string> {
  const { body, headers } = response;
  const declared = headers.has('content-encoding') ? 0 : Number(headers.get('content-length'));
  const reader = body?.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (let received = 0; ; ) {
    if (Math.max(received, declared || 0) > limit) {
      await reader?.cancel().catch(() => {});
      throw new ResponseTooLargeError(endpoint, response.status, limit);
    }
    const chunk = await reader?.read();
    if (!chunk || chunk.done) return text + decoder.decode();
    received += chunk.value.byteLength;
    text += decoder.decode(chunk.value, { stream: true });
  }
}

/** A non-token answer (e.g. a logout): the status and the parsed JSON body (undefined if not JSON). */
export async function sendRequest(
  request: TokenRequest,
  options: SendOptions,
): Promise<{ readonly status: number; readonly body: unknown }> {
  const { status, body } = await exchange(request, options);
  return { status, body };
}

export async function sendTokenRequest(
  request: TokenRequest,
  options: SendOptions,
): Promise<Token> {
  const { endpoint, sentAt, status, body, text } = await exchange(request, options);
  if (body === undefined) {
    const kind = !text.trim() ? 'empty' : /^\s*</.test(text) ? 'HTML, not JSON' : 'not valid JSON';
    throw new InvalidTokenResponseError(endpoint, status, `the body is ${kind}`);
  }
  return readTokenResponse(body, {
    endpoint,
    status,
    sentAt,
    defaultLifetimeMs: options.defaultLifetimeMs,
    tokenTypes: request.tokenTypes,
  });
}
