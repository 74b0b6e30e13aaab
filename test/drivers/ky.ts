// The suite's driver for a ky instance: shared by the newest ky and the oldest the matrix covers.
import type { Options } from 'ky';
import type { Driver, DriverOptions, DriverResult } from './types.ts';

/** What differs between the ky majors the suite runs on. */
export interface KyFlavour {
  /** The status and parsed body of an HTTP error, or `undefined` when `error` is not one. */
  readonly httpError: (error: unknown) => Promise<DriverResult | undefined>;
}

/** A ky instance, typed loosely enough for every major: call it with a URL and options. */
export type KyLike = (url: string, options?: Options) => Promise<Response>;

const optionsOf = (options: DriverOptions = {}): Options => ({
  ...(options.signal ? { signal: options.signal } : {}),
  ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  // ky 1.7 has no `context` option of its own; it is what the adapter documents for opting out.
  ...(options.skipAuth ? ({ context: { authwire: false } } as Options) : {}),
});

const bodyOf = (body: unknown): Options =>
  body?.constructor === Object ? { json: body } : { body: body as BodyInit };

/** Speaks to `client`, an instance already wired with `withAuth` (ky's own retries off or on). */
export function kyDriver(client: KyLike, flavour: KyFlavour): Driver {
  const send = async (url: string, options: Options): Promise<DriverResult> => {
    try {
      const response = await client(url, options);
      return { status: response.status, body: await response.json() };
    } catch (error) {
      const result = await flavour.httpError(error);
      if (!result) throw error;
      return result;
    }
  };
  return {
    get: (url, options) => send(url, optionsOf(options)),
    post: (url, body, options) =>
      send(url, { method: 'post', ...bodyOf(body), ...optionsOf(options) }),
  };
}

/** The body of a Response as JSON when it parses, else as text. */
export async function parsed(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
