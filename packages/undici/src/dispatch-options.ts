// What the interceptor reads off and writes into undici's dispatch options: the URL, the headers, a replayable body.
import type { Dispatcher } from 'undici';

/** A body up to this size is buffered, so a 401 can be retried with it. */
export const MAX_REPLAY_BYTES: number = 1024 * 1024;

export function urlOf({ origin, path }: Dispatcher.DispatchOptions): string {
  return (typeof origin === 'string' ? origin : (origin?.origin ?? '')) + path;
}

/**
 * The headers undici was given (any shape it takes) as one flat `[name, value, …]` list, or
 * `undefined` when the caller chose an `Authorization` of its own (a token request, a login): we
 * add nothing then. Read once per dispatch (bench 1b′, callgrind: undici).
 */
export function callerHeaders(headers: unknown): readonly unknown[] | undefined {
  let list: unknown[] = [];
  if (Array.isArray(headers) && !Array.isArray(headers[0])) list = headers;
  else if (headers != null && Symbol.iterator in (headers as object)) {
    for (const [name, value] of headers as Iterable<[unknown, unknown]>) list.push(name, value);
  } else if (headers != null) {
    for (const name of Object.keys(headers)) {
      const value = (headers as Record<string, unknown>)[name];
      if (value !== undefined) list.push(name, value);
    }
  }
  for (let i = 0; i + 1 < list.length; i += 2)
    if (String(list[i]).toLowerCase() === 'authorization') return undefined;
  return list;
}

/** The caller's headers (from `callerHeaders`) as a flat list with `ours` set over any of theirs. */
export function withHeaders(
  caller: readonly unknown[],
  ours: Readonly<Record<string, string>>,
): string[] {
  const names: string[] = [];
  for (const name in ours) names.push(name.toLowerCase());
  const list: string[] = [];
  for (let i = 0; i + 1 < caller.length; i += 2) {
    const name = String(caller[i]);
    if (!names.includes(name.toLowerCase())) list.push(name, caller[i + 1] as string);
  }
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
