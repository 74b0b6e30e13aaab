// Conformance: @authwire/got on got 16, with got's own retries switched off.
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { withAuth } from '@authwire/got';
import got, { HTTPError, type OptionsInit, type Response } from 'got';
import { adapterConformance, type DriverOptions, type DriverResult } from './suite.ts';

const optionsOf = (options: DriverOptions = {}): OptionsInit => ({
  ...(options.signal ? { signal: options.signal } : {}),
  ...(options.timeoutMs ? { timeout: { request: options.timeoutMs } } : {}),
  ...(options.skipAuth ? { context: { authwire: false } } : {}),
});

async function bodyOf(body: unknown): Promise<OptionsInit> {
  if (body?.constructor === Object) return { json: body };
  if (body instanceof ReadableStream) return { body: Readable.fromWeb(body as NodeReadableStream) };
  if (body instanceof URLSearchParams) return { body: body.toString() };
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body) };
  // got takes no Blob: its users send the bytes.
  if (body instanceof Blob) return { body: new Uint8Array(await body.arrayBuffer()) };
  return { body: body as string };
}

adapterConformance('got', (auth) => {
  const client = withAuth(got.extend({ retry: { limit: 0 }, responseType: 'json' }), auth);
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
