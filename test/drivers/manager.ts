// The bare manager as a caller: authorize(), then plain fetch. No 401 heal: the fault suite's baseline.
import type { TokenManager } from '@authwire/core';
import { parsed } from './ky.ts';
import type { Driver, DriverOptions } from './types.ts';

/** GETs and POSTs with the headers `auth.authorize(url)` gives (none for a foreign origin). */
export function managerDriver(auth: TokenManager): Driver {
  const send = async (url: string, init: RequestInit, options: DriverOptions = {}) => {
    const wait = options.signal ? { signal: options.signal } : {};
    const authorization = options.skipAuth ? undefined : await auth.authorize(url, wait);
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(authorization?.headers ?? {})) {
      headers.set(name, value);
    }
    const response = await fetch(url, {
      ...init,
      headers,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { status: response.status, body: await parsed(response) };
  };
  return {
    get: (url, options) => send(url, {}, options),
    post: (url, body, options) =>
      send(
        url,
        body?.constructor === Object
          ? { method: 'POST', body: JSON.stringify(body) }
          : { method: 'POST', body: body as BodyInit },
        options,
      ),
  };
}
