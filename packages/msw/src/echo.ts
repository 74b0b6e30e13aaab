// The test-only echo endpoint: shows a test exactly what arrived, so replayed bodies can be compared.
import { HttpResponse } from 'msw/http';

/** Path of the echo endpoint on each mock's API origin. Test-only: not part of either platform. */
export const ECHO_PATH = '/__authwire/echo' as const;

/**
 * What the echo endpoint answers (JSON).
 *
 * @example
 * ```ts
 * const echo = (await response.json()) as EchoResponse;
 * expect(echo.body).toBe('{"a":1}');
 * ```
 */
export interface EchoResponse {
  readonly method: string;
  readonly contentType: string | null;
  /** The received body decoded as UTF-8 text ('' when there was none). */
  readonly body: string;
  /** The received bytes, base64 — exact even for binary bodies. */
  readonly bodyBase64: string;
  readonly bodyLength: number;
  /** Request headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The query string, including `?`, or ''. */
  readonly search: string;
}

/** Builds the echo answer for a request. */
export async function echoResponse(request: Request): Promise<Response> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const echo: EchoResponse = {
    method: request.method,
    contentType: request.headers.get('content-type'),
    body: new TextDecoder().decode(bytes),
    bodyBase64: Buffer.from(bytes).toString('base64'),
    bodyLength: bytes.byteLength,
    headers,
    search: new URL(request.url).search,
  };
  return HttpResponse.json(echo);
}
