// Conformance: @authwire/ky on ky 2, with ky's own retries switched off.
import { withAuth } from '@authwire/ky';
import ky, { isHTTPError, type Options } from 'ky';
import { adapterConformance, type DriverOptions, type DriverResult } from './suite.ts';

const optionsOf = (options: DriverOptions = {}): Options => ({
  ...(options.signal ? { signal: options.signal } : {}),
  ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  ...(options.skipAuth ? { context: { authwire: false } } : {}),
});

const bodyOf = (body: unknown): Options =>
  body?.constructor === Object ? { json: body } : { body: body as BodyInit };

adapterConformance('ky', (auth) => {
  const client = withAuth(ky.create({ retry: 0 }), auth);
  const send = async (url: string, options: Options): Promise<DriverResult> => {
    try {
      const response = await client(url, options);
      return { status: response.status, body: await response.json() };
    } catch (error) {
      if (!isHTTPError(error)) throw error;
      return { status: error.response.status, body: error.data, error };
    }
  };
  return {
    get: (url, options) => send(url, optionsOf(options)),
    post: (url, body, options) =>
      send(url, { method: 'post', ...bodyOf(body), ...optionsOf(options) }),
  };
});
