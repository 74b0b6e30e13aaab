// What the interceptor reads off and writes into undici's dispatch options: the URL, the headers, a replayable body.
import type { Dispatcher } from 'undici';

/** A body up to this size is buffered, so a 401 can be retried with it. */
export const MAX_REPLAY_BYTES: number = 1024 * 1024;

export function urlOf({ origin, path }: Dispatcher.DispatchOptions): string {
  return (typeof origin === 'string' ? origin : (origin?.origin ?? '')) + path;
}

/** Calls `visit` with each header undici was given (any shape it takes) until it returns false. */
function everyHeader(headers: unknown, visit: (name: string, value: unknown) => boolean): boolean {
  if (Array.isArray(headers) && !Array.isArray(headers[0])) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      if (!visit(String(headers[i]), headers[i + 1])) return false;
  } else if (headers != null && Symbol.iterator in (headers as object)) {
    for (const [name, value] of headers as Iterable<[unknown, unknown]>)
      if (!visit(String(name), value)) return false;
  } else if (headers != null) {
    for (const [name, value] of Object.entries(headers))
      if (value !== undefined && !visit(name, value)) return false;
  }
  return true;
}

const notAuthorization = (name: string): boolean => name.toLowerCase() !== 'authorization';

/** Whether the caller chose an `Authorization` of its own (a token request, a login): we add nothing then. */
export function carriesAuthorization(headers: unknown): boolean {
  return !everyHeader(headers, notAuthorization);
}

/**
 * The caller's headers as a flat list with `authorization`'s set, or `undefined` when the
 * caller carries an `Authorization` of its own.
 */
export function withHeaders(
  headers: unknown,
  ours: Readonly<Record<string, string>>,
): string[] | undefined {
  const names = Object.keys(ours).map((name) => name.toLowerCase());
  const list: string[] = [];
  const kept = everyHeader(headers, (name, value) => {
    const lower = name.toLowerCase();
    if (!names.includes(lower)) list.push(name, value as string);
    return lower !== 'authorization';
  });
  if (!kept) return undefined;
  for (const name in ours) list.push(name, ours[name] as string);
  return list;
}

type Body = Dispatcher.DispatchOptions['body'];

/** Whether `body` is sent again as it is: none, a string or bytes. */
export function isBytes(body: Body): boolean {
  return body == null || typeof body === 'string' || body instanceof Uint8Array;
}

/**
 * A body that can be sent again: as given when it is bytes or a string; read into one Buffer
 * when it is a stream or (async) iterable of at most {@link MAX_REPLAY_BYTES} (Node's `fetch`
 * hands a one-shot async iterable); otherwise sent as read so far plus the rest, once.
 */
export async function bufferBody(body: Body): Promise<{ body: Body; replayable: boolean }> {
  if (isBytes(body)) return { body, replayable: true };
  const iterable = body as unknown as AsyncIterable<Uint8Array | string>;
  if (typeof iterable[Symbol.asyncIterator] !== 'function') return { body, replayable: false };
  const iterator = iterable[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const chunk = Buffer.from(next.value);
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_REPLAY_BYTES)
      return { body: rest(chunks, iterator) as unknown as Body, replayable: false };
  }
  return { body: Buffer.concat(chunks), replayable: true };
}

async function* rest(read: Buffer[], iterator: AsyncIterator<Uint8Array | string>) {
  yield* read;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
}
