// The suite's driver for core's authFetch: plain fetch with the manager's headers and the 401 heal.
import type { Fetch } from '@authwire/core';
import { parsed } from './ky.ts';
import type { Driver, DriverOptions, DriverResult } from './types.ts';

// A fetch user's timeout is an AbortSignal; authFetch has no timeout of its own to map it onto.
const initOf = (options: DriverOptions = {}): RequestInit =>
  options.signal || options.timeoutMs
    ? {
        signal: AbortSignal.any([
          ...(options.signal ? [options.signal] : []),
          ...(options.timeoutMs ? [AbortSignal.timeout(options.timeoutMs)] : []),
        ]),
      }
    : {};

const bodyOf = (body: unknown): RequestInit =>
  body?.constructor === Object
    ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
    : { body: body as BodyInit, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) };

/** Speaks to `send`, a fetch from `authFetch(auth)`. HTTP errors are results, as fetch has them. */
export function authFetchDriver(send: Fetch): Driver {
  const settle = async (response: Response): Promise<DriverResult> => ({
    status: response.status,
    body: await parsed(response),
  });
  return {
    get: async (url, options) => settle(await send(url, initOf(options))),
    post: async (url, body, options) =>
      settle(await send(url, { method: 'POST', ...bodyOf(body), ...initOf(options) })),
  };
}
