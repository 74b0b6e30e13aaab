// Matrix: @authwire/ky on the oldest supported ky (1.7) — the same scenarios as test/conformance.
import { withAuth } from '@authwire/ky';
import ky, { HTTPError, type Options } from 'ky-v1';
import { adapterConformance, type DriverOptions, type DriverResult } from '../conformance/suite.ts';

// The adapter is typed against the newest ky.
type Instance = Parameters<typeof withAuth>[0];

const optionsOf = (options: DriverOptions = {}): Options => ({
  ...(options.signal ? { signal: options.signal } : {}),
  ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  // ky 1.7 has no `context` option of its own; it is what the adapter documents for opting out.
  ...(options.skipAuth ? ({ context: { authwire: false } } as Options) : {}),
});

const bodyOf = (body: unknown): Options =>
  body?.constructor === Object ? { json: body } : { body: body as BodyInit };

async function parsed(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

adapterConformance('ky 1.7', (auth) => {
  const base = ky.create({ retry: 0 });
  const client = withAuth(base as unknown as Instance, auth) as unknown as typeof base;
  const send = async (url: string, options: Options): Promise<DriverResult> => {
    try {
      const response = await client(url, options);
      return { status: response.status, body: await response.json() };
    } catch (error) {
      // ky 1 has neither `isHTTPError` nor `error.data`.
      if (!(error instanceof HTTPError)) throw error;
      return { status: error.response.status, body: await parsed(error.response), error };
    }
  };
  return {
    get: (url, options) => send(url, optionsOf(options)),
    post: (url, body, options) =>
      send(url, { method: 'post', ...bodyOf(body), ...optionsOf(options) }),
  };
});
