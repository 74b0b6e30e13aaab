// The suite's driver for an openapi-fetch client: shared by the newest and the oldest the matrix covers.
import type { Client } from 'openapi-fetch';
import type { Driver, DriverOptions, DriverResult } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: the suite calls arbitrary absolute URLs.
export type AnyPaths = any;

const initOf = (options: DriverOptions = {}) => ({
  ...(options.signal || options.timeoutMs
    ? {
        signal: AbortSignal.any([
          ...(options.signal ? [options.signal] : []),
          ...(options.timeoutMs ? [AbortSignal.timeout(options.timeoutMs)] : []),
        ]),
      }
    : {}),
  ...(options.skipAuth ? { authwire: false } : {}),
});

const bodyOf = (body: unknown) =>
  body?.constructor === Object
    ? { body }
    : { body, bodySerializer: (raw: unknown) => raw, duplex: 'half' as const };

/**
 * Speaks to `client`, already wired with `withAuth` (untyped paths: the suite's URLs are
 * absolute). Create the client per test, after MSW listens: createClient captures globalThis.fetch.
 */
export function openapiFetchDriver(client: Client<AnyPaths>): Driver {
  const settle = async (
    call: Promise<{ response: Response; data?: unknown; error?: unknown }>,
  ): Promise<DriverResult> => {
    const { response, data, error } = await call;
    return { status: response.status, body: response.ok ? data : error };
  };
  return {
    get: (url, options) => settle(client.GET(url, initOf(options))),
    post: (url, body, options) => settle(client.POST(url, { ...bodyOf(body), ...initOf(options) })),
  };
}
