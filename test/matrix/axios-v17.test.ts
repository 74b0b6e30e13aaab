// Matrix: @authwire/axios on the oldest supported axios (1.7.x) — the same scenarios as test/conformance.
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { withAuth } from '@authwire/axios';
import axios, { type AxiosRequestConfig, isAxiosError } from 'axios-v17';
import { adapterConformance, type DriverOptions, type DriverResult } from '../conformance/suite.ts';

// The adapter is typed against the newest axios; the `authwire` flag is its module augmentation.
type Instance = Parameters<typeof withAuth>[0];

const configOf = (options: DriverOptions = {}): AxiosRequestConfig => ({
  ...(options.signal ? { signal: options.signal } : {}),
  ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  ...(options.skipAuth ? ({ authwire: false } as AxiosRequestConfig) : {}),
});

adapterConformance('axios 1.7', (auth) => {
  const client = withAuth(axios.create() as unknown as Instance, auth) as unknown as ReturnType<
    typeof axios.create
  >;
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
