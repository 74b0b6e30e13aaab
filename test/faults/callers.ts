// The ways a caller reaches an API through authwire: the core directly, and each adapter's client.
import { withAuth as axiosAuth } from '@authwire/axios';
import type { TokenManager } from '@authwire/core';
import { withAuth as gotAuth } from '@authwire/got';
import { withAuth as kyAuth } from '@authwire/ky';
import { withAuth as openapiAuth } from '@authwire/openapi-fetch';
import axios from 'axios';
import got from 'got';
import ky from 'ky';
import createClient from 'openapi-fetch';

/** Sends one GET; resolves with the HTTP status, rejects when no request could be made. */
export type Get = (url: string) => Promise<number>;

export interface Caller {
  readonly name: string;
  /** Builds the client for `auth`; call it after MSW listens (fetch-based clients capture fetch). */
  readonly create: (auth: TokenManager) => Get;
}

export const CALLERS: readonly Caller[] = [
  {
    name: 'core',
    create: (auth) => async (url) => {
      const authorization = await auth.authorize(url);
      const response = await fetch(url, { headers: authorization?.headers ?? {} });
      await response.arrayBuffer();
      return response.status;
    },
  },
  {
    name: 'axios',
    create: (auth) => {
      const client = withAxios(auth);
      return async (url) => (await client.get(url)).status;
    },
  },
  {
    name: 'ky',
    create: (auth) => {
      const client = kyAuth(ky.create({ retry: 0, throwHttpErrors: false }), auth);
      return async (url) => {
        const response = await client.get(url);
        await response.arrayBuffer();
        return response.status;
      };
    },
  },
  {
    name: 'got',
    create: (auth) => {
      const client = gotAuth(got.extend({ retry: { limit: 0 }, throwHttpErrors: false }), auth);
      return async (url) => (await client.get(url)).statusCode;
    },
  },
  {
    name: 'openapi-fetch',
    create: (auth) => {
      // biome-ignore lint/suspicious/noExplicitAny: untyped paths, absolute URLs.
      const client = openapiAuth(createClient<any>(), auth);
      return async (url) => (await client.GET(url, {})).response.status;
    },
  },
];

function withAxios(auth: TokenManager) {
  return axiosAuth(axios.create({ validateStatus: () => true }), auth);
}
