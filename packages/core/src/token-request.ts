// Sends one token request and maps every outcome to a Token or a typed error.
import { parseRetryAfter } from './backoff.ts';
import { InvalidTokenResponseError, RateLimitedError, TokenEndpointError } from './errors.ts';
import { scrub, truncate } from './redact.ts';
import { readTokenResponse } from './token-response.ts';
import type { ParsedError, Token, TokenRequest } from './types.ts';
import { endpointLabel, secureUrl } from './url.ts';

export interface SendOptions {
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly signal: AbortSignal;
  readonly secrets: readonly string[];
  readonly defaultLifetimeMs: number;
  /** A 429 without Retry-After waits this long. */
  readonly defaultRetryAfterMs: number;
}

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

interface Exchange extends EndpointResponse {
  readonly endpoint: string;
  readonly sentAt: number;
  readonly text: string;
}

/** Sends one request to a provider endpoint; non-2xx answers become typed errors. */
async function exchange(request: TokenRequest, options: SendOptions): Promise<Exchange> {
  const url = secureUrl(request.url, 'token endpoint');
  const endpoint = endpointLabel(url);
  const headers = new Headers(request.headers);
  if (request.body !== undefined && !headers.has('content-type')) {
    headers.set('content-type', 'application/x-www-form-urlencoded');
  }
  if (!headers.has('accept')) headers.set('accept', 'application/json');

  const sentAt = options.now();
  let response: Response;
  let text: string;
  try {
    response = await options.fetch(url, {
      method: request.method ?? 'POST',
      headers,
      body: request.body === undefined ? null : request.body.toString(),
      signal: options.signal,
      // A redirect would carry the credentials to wherever it points.
      redirect: 'error',
    });
    text = await response.text();
  } catch (cause) {
    if (options.signal.aborted) throw options.signal.reason;
    throw new TokenEndpointError(`Token request to ${endpoint} failed: network error`, {
      endpoint,
      retryable: true,
      cause: cause instanceof Error ? new Error(scrub(cause.message, options.secrets)) : undefined,
    });
  }

  const { status } = response;
  if (status === 429) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), options.now());
    throw new RateLimitedError(endpoint, retryAfter ?? options.defaultRetryAfterMs);
  }
  const body = parseJson(text);
  if (status < 200 || status >= 300) {
    const parsed = (request.parseError ?? parseOAuthError)(body);
    const clean = (value: string | undefined): string | undefined =>
      value === undefined ? undefined : truncate(scrub(value, options.secrets));
    const error = clean(parsed?.error);
    const errorDescription = clean(parsed?.errorDescription);
    const detail = error ? `: ${error}${errorDescription ? ` (${errorDescription})` : ''}` : '';
    throw new TokenEndpointError(
      `Token request to ${endpoint} failed with HTTP ${status}${detail}`,
      {
        endpoint,
        status,
        retryable: status >= 500 || status === 408,
        ...(error === undefined ? {} : { error }),
        ...(errorDescription === undefined ? {} : { errorDescription }),
      },
    );
  }
  return { endpoint, sentAt, status, body, text };
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
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
