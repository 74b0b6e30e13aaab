// Whether a request can be sent a second time (the one retry after a 401): the one replay rule of every client.

/** `true`: send it again as it is; a function: the unsent copy to send; `false`: it cannot be sent again. */
export type Replay = boolean | (() => Request);

/**
 * Whether `body` can be sent a second time unchanged. Nothing, strings, numbers, URLSearchParams,
 * FormData, Blob, ArrayBuffer, typed arrays and plain objects or arrays (serialised by the client)
 * can; a stream, an async iterable or a generator is consumed by the first send and cannot.
 *
 * @example
 * ```ts
 * isReplayable(JSON.stringify(order)); // true
 * isReplayable(fs.createReadStream(path)); // false
 * ```
 */
export function isReplayable(body: unknown): boolean {
  if (body === undefined || body === null) return true;
  if (typeof body !== 'object') return ['string', 'number', 'boolean'].includes(typeof body);
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return true;
  if (body instanceof Blob || body instanceof URLSearchParams || body instanceof FormData)
    return true;
  const shape = body as { pipe?: unknown; next?: unknown; getReader?: unknown };
  // A web stream (getReader) or a Node stream (pipe).
  if (typeof shape.pipe === 'function' || typeof shape.getReader === 'function') return false;
  if (Symbol.asyncIterator in body) return false;
  return !(typeof shape.next === 'function' && Symbol.iterator in body);
}

/**
 * How to send `request` again: not at all when its body (as the caller gave it) is one-shot or the
 * caller said so; a fetch `Request` is copied now with `clone()`, before it is sent (a copy taken
 * from a stream buffers it while it is sent), and a body-less one is itself sent again.
 */
export function replayOf(request: {
  readonly body?: unknown;
  readonly replayable?: boolean | undefined;
  readonly fetchRequest?: Request | undefined;
}): Replay {
  const allowed = request.replayable ?? (!('body' in request) || isReplayable(request.body));
  const sending = request.fetchRequest;
  if (!allowed || !sending) return allowed;
  if (sending.body === null) return () => sending;
  const copy = sending.clone();
  return () => copy;
}
