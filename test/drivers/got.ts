// The suite's driver for a got instance: shared by the newest got and the oldest the matrix covers.
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Got, OptionsInit, Response } from 'got';
import type { Driver, DriverOptions, DriverResult } from './types.ts';

/** What differs between the got majors the suite runs on. */
export interface GotFlavour {
  /** The `HTTPError` class of the got the instance comes from (each major has its own). */
  readonly HTTPError: abstract new (
    ...args: never
  ) => { readonly response: { readonly statusCode: number; readonly body: unknown } };
  /** Binary bodies (ArrayBuffer, Blob contents) as the bytes this got accepts. */
  readonly bytes: (buffer: ArrayBuffer) => Uint8Array;
}

const optionsOf = (options: DriverOptions = {}): OptionsInit => ({
  ...(options.signal ? { signal: options.signal } : {}),
  ...(options.timeoutMs ? { timeout: { request: options.timeoutMs } } : {}),
  ...(options.skipAuth ? { context: { authwire: false } } : {}),
});

async function bodyOf(body: unknown, { bytes }: GotFlavour): Promise<OptionsInit> {
  if (body?.constructor === Object) return { json: body };
  if (body instanceof ReadableStream) return { body: Readable.fromWeb(body as NodeReadableStream) };
  if (body instanceof URLSearchParams) return { body: body.toString() };
  if (body instanceof ArrayBuffer) return { body: bytes(body) };
  // got takes no Blob: its users send the bytes.
  if (body instanceof Blob) return { body: bytes(await body.arrayBuffer()) };
  return { body: body as string };
}

/** Speaks to `client`, an instance already wired with `withAuth`, typed against the newest got. */
export function gotDriver(client: Got, flavour: GotFlavour): Driver {
  const send = async (url: string, options: OptionsInit): Promise<DriverResult> => {
    try {
      const response = (await client(url, options)) as Response;
      return { status: response.statusCode, body: response.body };
    } catch (error) {
      if (!(error instanceof flavour.HTTPError)) throw error;
      return { status: error.response.statusCode, body: error.response.body, error };
    }
  };
  return {
    get: (url, options) => send(url, optionsOf(options)),
    post: async (url, body, options) =>
      send(url, { method: 'POST', ...(await bodyOf(body, flavour)), ...optionsOf(options) }),
  };
}
