// What the axios adapter reads off a response, and the fetch that lets `adapter: 'fetch'` tell where a redirect went.
import type { AxiosResponse } from 'axios';

/** The URL that answered, after redirects: node http (follow-redirects), XHR, or our fetch wrapper. */
export function answeredUrl(
  response: AxiosResponse,
  fetched: WeakMap<object, string>,
): string | undefined {
  const request = response.request as { res?: { responseUrl?: unknown }; responseURL?: unknown };
  const url =
    request?.res?.responseUrl ?? request?.responseURL ?? (request && fetched.get(request));
  return typeof url === 'string' ? url : undefined;
}

/** For `adapter: 'fetch'`: a fetch that notes where a redirected response came from (one per fetch). */
export function trackingFetch(): {
  readonly urls: WeakMap<object, string>;
  readonly wrap: (inner?: typeof fetch) => typeof fetch;
} {
  const urls = new WeakMap<object, string>();
  const wrappers = new WeakMap<typeof fetch, typeof fetch>();
  const wrap = (inner: typeof fetch = globalThis.fetch): typeof fetch => {
    const wrapper =
      wrappers.get(inner) ??
      (async (input: string | URL | Request, init?: RequestInit) => {
        const response = await inner(input, init);
        if (response.redirected && typeof input === 'object') urls.set(input, response.url);
        return response;
      });
    wrappers.set(inner, wrapper as typeof fetch);
    return wrapper as typeof fetch;
  };
  return { urls, wrap };
}

/** Keeps `holder[key]` but out of enumeration (inspection, JSON). */
export function hide(holder: object | undefined, key: string): void {
  if (holder && key in holder) {
    Object.defineProperty(holder, key, { enumerable: false, value: Reflect.get(holder, key) });
  }
}
