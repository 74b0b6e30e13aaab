// Matrix: @authwire/got on the oldest supported got (14.2) — the same scenarios as test/conformance.
// got 14.0.x and 14.1.x are excluded: their RequestError drops `cause`, so the AuthwireError a hook
// throws (rate_limited, timeout, …) reaches the caller only as a bare RequestError (4 scenarios fail
// per platform). got 14.2.0 added `{ cause }`; the declared peer range starts there.
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { withAuth } from '@authwire/got';
import got, { HTTPError, type OptionsInit, type Response } from 'got-v14';
import { adapterConformance, type DriverOptions, type DriverResult } from '../conformance/suite.ts';

// The adapter is typed against the newest got.
type Instance = Parameters<typeof withAuth>[0];

const optionsOf = (options: DriverOptions = {}): OptionsInit => ({
  ...(options.signal ? { signal: options.signal } : {}),
  ...(options.timeoutMs ? { timeout: { request: options.timeoutMs } } : {}),
  ...(options.skipAuth ? { context: { authwire: false } } : {}),
});

async function bodyOf(body: unknown): Promise<OptionsInit> {
  if (body?.constructor === Object) return { json: body };
  if (body instanceof ReadableStream) return { body: Readable.fromWeb(body as NodeReadableStream) };
  if (body instanceof URLSearchParams) return { body: body.toString() };
  // got 14 takes a Buffer, not a plain Uint8Array (its users send Buffers).
  if (body instanceof ArrayBuffer) return { body: Buffer.from(body) };
  if (body instanceof Blob) return { body: Buffer.from(await body.arrayBuffer()) };
  return { body: body as string };
}

adapterConformance('got 14', (auth) => {
  const base = got.extend({ retry: { limit: 0 }, responseType: 'json' });
  const client = withAuth(base as unknown as Instance, auth) as unknown as typeof base;
  const send = async (url: string, options: OptionsInit): Promise<DriverResult> => {
    try {
      const response = (await client(url, options)) as Response;
      return { status: response.statusCode, body: response.body };
    } catch (error) {
      if (!(error instanceof HTTPError)) throw error;
      return { status: error.response.statusCode, body: error.response.body, error };
    }
  };
  return {
    get: (url, options) => send(url, optionsOf(options)),
    post: async (url, body, options) =>
      send(url, { method: 'POST', ...(await bodyOf(body)), ...optionsOf(options) }),
  };
});
