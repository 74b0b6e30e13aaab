// The suite's driver for an axios instance: shared by the newest axios and the oldest the matrix covers.
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { type AxiosInstance, type AxiosRequestConfig, isAxiosError } from 'axios';
import type { Driver, DriverOptions, DriverResult } from './types.ts';

const configOf = (options: DriverOptions = {}): AxiosRequestConfig => ({
  ...(options.signal ? { signal: options.signal } : {}),
  ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  ...(options.skipAuth ? { authwire: false } : {}),
});

/**
 * Speaks to `client`, an instance already wired with `withAuth`. Typed against the newest axios;
 * `isAxiosError` is the same property check in every 1.x.
 */
export function axiosDriver(client: AxiosInstance): Driver {
  const send = async (config: AxiosRequestConfig): Promise<DriverResult> => {
    try {
      const response = await client.request(config);
      return { status: response.status, body: response.data };
    } catch (error) {
      if (!isAxiosError(error) || !error.response) throw error;
      return { status: error.response.status, body: error.response.data, error };
    }
  };
  return {
    get: (url, options) => send({ url, ...configOf(options) }),
    post: (url, body, options) =>
      send({
        url,
        method: 'POST',
        data: body instanceof ReadableStream ? Readable.fromWeb(body as NodeReadableStream) : body,
        ...configOf(options),
      }),
  };
}
