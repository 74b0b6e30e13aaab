// The one driver registry: every subject the conformance, fault and companion suites run against.
// The oldest client majors the matrix covers are in ./oldest.ts (imported only by test/matrix).
import { withAuth as axiosAuth } from '@authwire/axios';
import { authFetch } from '@authwire/core';
import { withAuth as gotAuth } from '@authwire/got';
import { withAuth as kyAuth } from '@authwire/ky';
import { withAuth as openapiAuth } from '@authwire/openapi-fetch';
import { authwire } from '@authwire/undici';
import axios from 'axios';
import got, { HTTPError as GotHTTPError } from 'got';
import ky, { isHTTPError } from 'ky';
import createClient from 'openapi-fetch';
import * as undici8 from 'undici8';
import { authFetchDriver } from './auth-fetch.ts';
import { axiosDriver } from './axios.ts';
import { gotDriver } from './got.ts';
import { kyDriver } from './ky.ts';
import { managerDriver } from './manager.ts';
import { type AnyPaths, openapiFetchDriver } from './openapi-fetch.ts';
import type { Subject } from './types.ts';
import { fetchDispatcher, undiciDriver } from './undici.ts';

export { authwireErrorIn } from './errors.ts';
export type { PlatformKind } from './platforms.ts';
export type { Capabilities, Driver, DriverOptions, DriverResult, Subject } from './types.ts';
export { capabilitiesOf } from './types.ts';

export const AXIOS: Subject = {
  name: 'axios',
  create: (auth) => axiosDriver(axiosAuth(axios.create(), auth)),
  capabilities: { streamBodyRetry: false }, // axios cannot replay a stream it already sent
};

/**
 * axios on its fetch adapter (the one Workers, Deno and browsers without XHR get): fetch strips
 * only Authorization on a cross-origin redirect, so a token in another header is the seam's to guard.
 */
export const AXIOS_FETCH: Subject = {
  name: 'axios (fetch adapter)',
  create: (auth) => axiosDriver(axiosAuth(axios.create({ adapter: 'fetch' }), auth)),
  capabilities: {
    streamBodyRetry: false, // axios cannot replay a stream it already sent
    // axios 1.21 on Node labels a native FormData `application/x-www-form-urlencoded` on its fetch
    // adapter (dispatchRequest sets it; resolveConfig clears it only in browsers), even without authwire
    formDataBody: false,
  },
};

/** got with its own retries off: the companion suite turns them on. */
export const GOT: Subject = {
  name: 'got',
  create: (auth) =>
    gotDriver(gotAuth(got.extend({ retry: { limit: 0 }, responseType: 'json' }), auth), {
      HTTPError: GotHTTPError,
      bytes: (buffer) => new Uint8Array(buffer),
    }),
  capabilities: { streamBodyRetry: false }, // got cannot replay a stream it already piped
};

/** ky with its own retries off: the companion suite turns them on. */
export const KY: Subject = {
  name: 'ky',
  create: (auth) =>
    kyDriver(kyAuth(ky.create({ retry: 0 }), auth), {
      httpError: async (error) =>
        isHTTPError(error) ? { status: error.response.status, body: error.data, error } : undefined,
    }),
  capabilities: { streamBodyRetry: false }, // ky's Request body is a one-shot stream once sent
};

export const OPENAPI_FETCH: Subject = {
  name: 'openapi-fetch',
  // Untyped paths: the suite's URLs are absolute. Its retry copy is a Request.clone(), which tees
  // and buffers a stream body, so streams are replayed.
  create: (auth) => openapiFetchDriver(openapiAuth(createClient<AnyPaths>(), auth)),
};

export const AUTH_FETCH: Subject = {
  name: 'authFetch',
  create: (auth) => authFetchDriver(authFetch(auth)),
  capabilities: {
    streamBodyRetry: false, // a stream in `init.body` is sent once; no copy is kept
    optOut: false, // a fetch user calls plain fetch for a public endpoint
  },
};

/**
 * undici's fetch on a dispatcher composed with authwire(). Its bottom layer answers through
 * globalThis.fetch, so the suite's in-process MSW serves it (MSW never sees a dispatcher).
 */
export const UNDICI: Subject = {
  name: 'undici',
  create: (auth) => undiciDriver(undici8, fetchDispatcher(undici8).compose(authwire(auth))),
  capabilities: {
    optOut: false, // one interceptor for the process: a public endpoint needs no opt-out, and a
    // request that sets its own Authorization is left alone
  },
};

/** The five adapters (axios on both its Node adapters) and core's authFetch, on the newest client majors. */
export const SUBJECTS: readonly Subject[] = [
  AXIOS,
  AXIOS_FETCH,
  GOT,
  KY,
  OPENAPI_FETCH,
  AUTH_FETCH,
  UNDICI,
];

/** The bare manager (`authorize()` + fetch, no 401 heal): a fault-suite caller, not an adapter. */
export const MANAGER: Subject = {
  name: 'core',
  create: managerDriver,
  capabilities: {
    streamBodyRetry: false, // nothing retries
    checksManager: false, // it is the manager
    optOut: true,
    heals401: false, // authorize() only attaches headers
  },
};
