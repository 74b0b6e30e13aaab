// The registry's matrix half: each adapter on the oldest client major it supports (test/matrix).
import { withAuth as axiosAuth } from '@authwire/axios';
import { withAuth as gotAuth } from '@authwire/got';
import { withAuth as kyAuth } from '@authwire/ky';
import { withAuth as openapiAuth } from '@authwire/openapi-fetch';
import { authwire } from '@authwire/undici';
import axios from 'axios-v17';
import got, { HTTPError as GotHTTPError } from 'got-v14';
import ky, { HTTPError as KyHTTPError } from 'ky-v1';
import type { Client } from 'openapi-fetch';
import createClient from 'openapi-fetch-v013';
import * as undici7 from 'undici7';
import { axiosDriver } from './axios.ts';
import { gotDriver } from './got.ts';
import { AXIOS, GOT, KY, OPENAPI_FETCH, UNDICI } from './index.ts';
import { type KyLike, kyDriver, parsed } from './ky.ts';
import { type AnyPaths, openapiFetchDriver } from './openapi-fetch.ts';
import type { Subject } from './types.ts';
import { fetchDispatcher, type UndiciCopy, undiciDriver } from './undici.ts';

// The adapters and drivers are typed against the newest clients; the instances are older ones.
type AxiosInstance = Parameters<typeof axiosAuth>[0];
type GotInstance = Parameters<typeof gotAuth>[0];
type KyInstance = Parameters<typeof kyAuth>[0];

export const AXIOS_1_7: Subject = {
  ...AXIOS,
  name: 'axios 1.7',
  create: (auth) => axiosDriver(axiosAuth(axios.create() as unknown as AxiosInstance, auth)),
};

// got 14.0.x and 14.1.x are excluded: their RequestError drops `cause`, so the AuthwireError a hook
// throws (rate_limited, timeout, …) reaches the caller only as a bare RequestError (4 scenarios fail
// per platform). got 14.2.0 added `{ cause }`; the declared peer range starts there.
export const GOT_14: Subject = {
  ...GOT,
  name: 'got 14',
  create: (auth) => {
    const base = got.extend({ retry: { limit: 0 }, responseType: 'json' });
    return gotDriver(gotAuth(base as unknown as GotInstance, auth), {
      HTTPError: GotHTTPError,
      // got 14 takes a Buffer, not a plain Uint8Array (its users send Buffers).
      bytes: (buffer) => Buffer.from(buffer),
    });
  },
};

export const KY_1_7: Subject = {
  ...KY,
  name: 'ky 1.7',
  create: (auth) => {
    const base = ky.create({ retry: 0 });
    const client = kyAuth(base as unknown as KyInstance, auth) as unknown as KyLike;
    return kyDriver(client, {
      // ky 1 has neither `isHTTPError` nor `error.data`.
      httpError: async (error) =>
        error instanceof KyHTTPError
          ? { status: error.response.status, body: await parsed(error.response), error }
          : undefined,
    });
  },
};

export const OPENAPI_FETCH_0_13: Subject = {
  ...OPENAPI_FETCH,
  name: 'openapi-fetch 0.13',
  create: (auth) =>
    openapiFetchDriver(openapiAuth(createClient<AnyPaths>() as unknown as Client<AnyPaths>, auth)),
};

/** undici 7's fetch on an undici 7 dispatcher (its `compose` hands interceptors the newer handler shape). */
const UNDICI7 = undici7 as unknown as UndiciCopy;
export const UNDICI_7: Subject = {
  ...UNDICI,
  name: 'undici 7',
  create: (auth) => undiciDriver(UNDICI7, fetchDispatcher(UNDICI7).compose(authwire(auth))),
};
