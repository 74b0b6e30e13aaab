// Conformance: @authwire/axios on axios 1.x.
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { withAuth } from '@authwire/axios';
import axios, { type AxiosRequestConfig, isAxiosError } from 'axios';
import { adapterConformance, type DriverOptions, type DriverResult } from './suite.ts';

const configOf = (options: DriverOptions = {}): AxiosRequestConfig => ({
  ...(options.signal ? { signal: options.signal } : {}),
  ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  ...(options.skipAuth ? { authwire: false } : {}),
});

adapterConformance('axios', (auth) => {
  const client = withAuth(axios.create(), auth);
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
});
