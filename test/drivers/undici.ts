// The suite's driver for @authwire/undici: undici's fetch on a dispatcher composed with authwire(),
// whose bottom layer sends through globalThis.fetch as it is at call time (in-process MSW, which
// never sees a dispatcher, answers there). Shared by undici 8 and the oldest major, 7.
import type { Dispatcher } from 'undici8';
import { parsed } from './ky.ts';
import type { Driver, DriverOptions, DriverResult } from './types.ts';

type Options = Dispatcher.DispatchOptions;
type Handler = Dispatcher.DispatchHandler;

/** Request headers in any shape undici takes, as a Headers. */
function headersOf(given: unknown): Headers {
  const headers = new Headers();
  if (Array.isArray(given) && !Array.isArray(given[0])) {
    for (let i = 0; i + 1 < given.length; i += 2)
      headers.append(String(given[i]), String(given[i + 1]));
  } else if (given != null && Symbol.iterator in (given as object)) {
    for (const [name, value] of given as Iterable<[string, string]>) headers.append(name, value);
  } else if (given != null) {
    for (const [name, value] of Object.entries(given)) {
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, String(one));
    }
  }
  // fetch sets the length itself (Node 22's would send it twice).
  headers.delete('content-length');
  return headers;
}

async function bytesOf(body: unknown): Promise<Uint8Array | string | undefined> {
  if (body == null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>)
    chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** A dispatcher at the bottom of the stack that answers through `globalThis.fetch`. */
/** What the driver takes from one copy of undici (typed as undici 8's; 7's are alike). */
export interface UndiciCopy {
  readonly Dispatcher: typeof Dispatcher;
  readonly fetch: typeof import('undici8').fetch;
}

/** A dispatcher of `copy` at the bottom of the stack, answering through `globalThis.fetch`. */
export const fetchDispatcher = (copy: UndiciCopy): Dispatcher =>
  new (class FetchDispatcher extends copy.Dispatcher {
    override dispatch(opts: Options, handler: Handler): boolean {
      const abort = new AbortController();
      const controller: Dispatcher.DispatchController = {
        get aborted() {
          return abort.signal.aborted;
        },
        paused: false,
        get reason() {
          return (abort.signal.reason as Error | undefined) ?? null;
        },
        abort: (reason) => abort.abort(reason),
        pause: () => {},
        resume: () => {},
      };
      const send = async () => {
        handler.onRequestStart?.(controller, {});
        const response = await globalThis.fetch(new URL(opts.path, opts.origin), {
          method: opts.method,
          headers: headersOf(opts.headers),
          body: ((await bytesOf(opts.body)) ?? null) as BodyInit | null,
          redirect: 'manual',
          signal: abort.signal,
        });
        const headers: Record<string, string> = {};
        const raw: Buffer[] = [];
        response.headers.forEach((value, name) => {
          headers[name] = value;
          raw.push(Buffer.from(name), Buffer.from(value));
        });
        // undici 8's fetch reads the response headers from here.
        controller.rawHeaders = raw;
        // Read whole before answering: no abort can come between the parts.
        const data = Buffer.from(await response.arrayBuffer());
        handler.onResponseStart?.(controller, response.status, headers, response.statusText);
        if (data.length > 0) handler.onResponseData?.(controller, data);
        handler.onResponseEnd?.(controller, {});
      };
      send().catch((error: Error) => handler.onResponseError?.(controller, error));
      return true;
    }

    override close(): Promise<void> {
      return Promise.resolve();
    }

    override destroy(): Promise<void> {
      return Promise.resolve();
    }
  })();

const initOf = (options: DriverOptions = {}) =>
  options.signal || options.timeoutMs
    ? {
        signal: AbortSignal.any([
          ...(options.signal ? [options.signal] : []),
          ...(options.timeoutMs ? [AbortSignal.timeout(options.timeoutMs)] : []),
        ]),
      }
    : {};

// undici 8 does not know Node's own FormData class (another copy of undici): send its bytes.
const bodyOf = async (body: unknown) => {
  if (body?.constructor === Object)
    return { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  if (body instanceof FormData) {
    const encoded = new Response(body);
    const type = encoded.headers.get('content-type') ?? '';
    return { body: new Uint8Array(await encoded.arrayBuffer()), headers: { 'content-type': type } };
  }
  return {
    body: body as never,
    ...(body instanceof ReadableStream ? { duplex: 'half' as const } : {}),
  };
};

/** Speaks to undici's fetch on `dispatcher` (composed with authwire). HTTP errors are results. */
export function undiciDriver(copy: UndiciCopy, dispatcher: Dispatcher): Driver {
  const undiciFetch = copy.fetch;
  const settle = async (response: Response): Promise<DriverResult> => ({
    status: response.status,
    body: await parsed(response),
  });
  return {
    get: async (url, options) =>
      settle((await undiciFetch(url, { dispatcher, ...initOf(options) })) as unknown as Response),
    post: async (url, body, options) =>
      settle(
        (await undiciFetch(url, {
          dispatcher,
          method: 'POST',
          ...(await bodyOf(body)),
          ...initOf(options),
        })) as unknown as Response,
      ),
  };
}
