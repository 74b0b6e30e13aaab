// Headers in whatever shape a client keeps them, read case-insensitively (to find the token a request carried).

/**
 * Headers as a client holds them: a `Headers`, anything with `get(name)` (AxiosHeaders), a record,
 * or a list (undici's flat `[name, value, …]` or `[[name, value], …]`).
 */
export type HeaderSource =
  | Headers
  | { get(name: string): unknown }
  | Readonly<Record<string, unknown>>
  | readonly unknown[]
  | undefined;

/** A case-insensitive reader of `headers`, whatever shape the client keeps them in. */
export function headerGetter(headers: HeaderSource): (name: string) => string | undefined {
  if (!headers) return () => undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const source = headers as { get(name: string): unknown };
    return (name) => {
      const value = source.get(name);
      return typeof value === 'string' ? value : undefined;
    };
  }
  // One flat `[name, value, …]` list for the other shapes.
  const pairs: unknown[] = !Array.isArray(headers)
    ? Object.entries(headers).flat()
    : Array.isArray(headers[0])
      ? headers.flat()
      : headers;
  return (name) => {
    const lower = name.toLowerCase();
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const value = pairs[i + 1];
      if (String(pairs[i]).toLowerCase() === lower)
        return typeof value === 'string' ? value : undefined;
    }
    return undefined;
  };
}

/**
 * Sets every header of `headers` on `target` (a Request's `Headers`, or one of your own).
 *
 * @example
 * ```ts
 * setHeaders(request.headers, await seam.authorize(request));
 * ```
 */
export function setHeaders(
  target: Headers,
  headers: Readonly<Record<string, string>> | undefined,
): void {
  for (const name in headers) target.set(name, headers[name] as string);
}
