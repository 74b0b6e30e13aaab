// Each adapter wired the way its README shows, behind one tiny interface the scenarios drive.

import { withAuth as axiosWithAuth } from '@authwire/axios';
import type { TokenManager } from '@authwire/core';
import { withAuth as gotWithAuth } from '@authwire/got';
import { authHooks } from '@authwire/ky';
import { withAuth as openapiWithAuth } from '@authwire/openapi-fetch';
import axios, { isAxiosError } from 'axios';
import got, { HTTPError as GotHTTPError } from 'got';
import ky, { HTTPError as KyHTTPError } from 'ky';
import createClient from 'openapi-fetch';

/** A client for one API origin; `get` takes an absolute URL and answers with the final status. */
export interface DemoClient {
  get(url: string): Promise<number>;
}

export interface AdapterKind {
  readonly name: string;
  /** Creates the client. Call it after MSW listens: openapi-fetch captures `fetch` on creation. */
  create(auth: TokenManager, baseUrl: string): DemoClient;
}

// Any JSON GET endpoint without parameters: the demo's paths are picked at run time.
type AnyPaths = Record<
  `/${string}`,
  { get: { parameters: object; responses: { 200: { content: { 'application/json': unknown } } } } }
>;

export const ADAPTERS: readonly AdapterKind[] = [
  {
    name: 'axios',
    create(auth, baseUrl) {
      const api = axiosWithAuth(axios.create({ baseURL: baseUrl }), auth);
      return {
        async get(url) {
          try {
            return (await api.get(url)).status;
          } catch (error) {
            if (isAxiosError(error) && error.response) return error.response.status;
            throw error;
          }
        },
      };
    },
  },
  {
    name: 'ky',
    create(auth, baseUrl) {
      const api = ky.create({ baseUrl, hooks: authHooks(auth) });
      return {
        async get(url) {
          try {
            const response = await api.get(url);
            await response.arrayBuffer();
            return response.status;
          } catch (error) {
            if (error instanceof KyHTTPError) return error.response.status;
            throw error;
          }
        },
      };
    },
  },
  {
    name: 'got',
    create(auth) {
      const api = gotWithAuth(got.extend({}), auth);
      return {
        async get(url) {
          try {
            return (await api.get(url)).statusCode;
          } catch (error) {
            if (error instanceof GotHTTPError) return error.response.statusCode;
            throw error;
          }
        },
      };
    },
  },
  {
    name: 'openapi-fetch',
    create(auth, baseUrl) {
      // One typed client per origin, as openapi-fetch users have; all of them get the middleware.
      const clients = new Map<string, ReturnType<typeof createClient<AnyPaths>>>();
      const clientFor = (origin: string) => {
        let client = clients.get(origin);
        if (!client) {
          client = openapiWithAuth(createClient<AnyPaths>({ baseUrl: origin }), auth);
          clients.set(origin, client);
        }
        return client;
      };
      clientFor(new URL(baseUrl).origin);
      return {
        async get(url) {
          const { origin, pathname, search } = new URL(url);
          const path = `${pathname}${search}` as `/${string}`;
          const { response } = await clientFor(origin).GET(path, {});
          return response.status;
        },
      };
    },
  },
];
