// Reading a header back from whatever shape a client keeps its headers in (Headers, AxiosHeaders, a record).

/** Headers as a client holds them: a `Headers`, anything with `get(name)` (AxiosHeaders), or a record. */
export type HeaderSource =
  | Headers
  | { get(name: string): unknown }
  | Readonly<Record<string, unknown>>
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
  const record = headers as Readonly<Record<string, unknown>>;
  return (name) => {
    const lower = name.toLowerCase();
    for (const key in record) {
      const value = record[key];
      if (key.toLowerCase() === lower) return typeof value === 'string' ? value : undefined;
    }
    return undefined;
  };
}
