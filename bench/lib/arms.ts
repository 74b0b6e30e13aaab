// Every client under test, built the same way: bare (static header), authwire, and the peers.
import { Agent } from 'node:http';
import { withAuth as axiosAuth } from '@authwire/axios';
import { authFetch, type TokenManager } from '@authwire/core';
import { withAuth as gotAuth } from '@authwire/got';
import { withAuth as kyAuth } from '@authwire/ky';
import { withAuth as openapiAuth } from '@authwire/openapi-fetch';
import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { createAuthRefresh } from 'axios-auth-refresh';
import got, { type Got, HTTPError as GotHTTPError } from 'got';
import ky, { isHTTPError } from 'ky';
import createClient from 'openapi-fetch';
import { type TokenBody, tokenCache } from './token-cache.ts';

/** What every arm needs to know about the scenario. */
export interface Target {
  /** Absolute URL of the protected GET. */
  readonly url: string;
  /** Headers every request carries besides the token (e.g. Norce's ApplicationId). */
  readonly staticHeaders: Readonly<Record<string, string>>;
  /** Client-credentials details for the peers, which fetch tokens themselves. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope: string;
}

export type ArmKind = 'bare' | 'authwire' | 'peer';
export type Family = 'axios' | 'ky' | 'got' | 'openapi-fetch' | 'fetch';

/** One client: `send()` makes one GET, reads the body, and returns the final status (0: failed). */
export interface Arm {
  readonly name: string;
  readonly family: Family;
  readonly kind: ArmKind;
  send(): Promise<number>;
}

const agent = (): Agent => new Agent({ keepAlive: true });
const form = (target: Target): Record<string, string> => ({
  grant_type: 'client_credentials',
  client_id: target.clientId,
  client_secret: target.clientSecret,
  scope: target.scope,
});
const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

async function axiosSend(instance: AxiosInstance, url: string): Promise<number> {
  try {
    return (await instance.get(url)).status;
  } catch (error) {
    return isAxiosError(error) ? (error.response?.status ?? 0) : 0;
  }
}

async function kySend(instance: typeof ky, url: string): Promise<number> {
  try {
    const response = await instance.get(url);
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return isHTTPError(error) ? error.response.status : 0;
  }
}

async function gotSend(instance: Got, url: string): Promise<number> {
  try {
    return (await instance.get(url)).statusCode;
  } catch (error) {
    return error instanceof GotHTTPError ? error.response.statusCode : 0;
  }
}

async function fetchSend(response: Promise<Response>): Promise<number> {
  try {
    const settled = await response;
    await settled.arrayBuffer();
    return settled.status;
  } catch {
    return 0;
  }
}

// openapi-fetch without a generated schema: one untyped GET (it reads the body itself).
type LooseGet = (path: string) => Promise<number>;
function openapiGet(client: { GET: unknown }): LooseGet {
  const get = client.GET as (path: string, init: object) => Promise<{ response: Response }>;
  return (path) =>
    get(path, { parseAs: 'arrayBuffer' }).then(
      ({ response }) => response.status,
      () => 0,
    );
}

// ---------------------------------------------------------------- bare: a hard-coded header

export function bareArms(target: Target, token: string): Arm[] {
  const headers = { ...target.staticHeaders, ...bearer(token) };
  const { url } = target;
  const parsed = new URL(url);
  const axiosClient = axios.create({ headers, httpAgent: agent() });
  const kyClient = ky.create({ headers, retry: 0 });
  const gotClient = got.extend({ headers, agent: { http: agent() }, retry: { limit: 0 } });
  const openapi = openapiGet(createClient({ baseUrl: parsed.origin, headers }));
  return [
    {
      name: 'axios (static header)',
      family: 'axios',
      kind: 'bare',
      send: () => axiosSend(axiosClient, url),
    },
    { name: 'ky (static header)', family: 'ky', kind: 'bare', send: () => kySend(kyClient, url) },
    {
      name: 'got (static header)',
      family: 'got',
      kind: 'bare',
      send: () => gotSend(gotClient, url),
    },
    {
      name: 'openapi-fetch (static header)',
      family: 'openapi-fetch',
      kind: 'bare',
      send: () => openapi(parsed.pathname),
    },
    {
      name: 'fetch (static header)',
      family: 'fetch',
      kind: 'bare',
      send: () => fetchSend(fetch(url, { headers })),
    },
  ];
}

// ---------------------------------------------------------------- authwire

export function authwireArms(target: Target, auth: TokenManager): Arm[] {
  const { url, staticHeaders: headers } = target;
  const parsed = new URL(url);
  const axiosClient = axiosAuth(axios.create({ headers, httpAgent: agent() }), auth);
  const kyClient = kyAuth(ky.create({ headers, retry: 0 }), auth);
  const gotClient = gotAuth(
    got.extend({ headers, agent: { http: agent() }, retry: { limit: 0 } }),
    auth,
  );
  const openapi = openapiGet(openapiAuth(createClient({ baseUrl: parsed.origin, headers }), auth));
  const coreFetch = authFetch(auth);
  return [
    {
      name: 'authwire + axios',
      family: 'axios',
      kind: 'authwire',
      send: () => axiosSend(axiosClient, url),
    },
    { name: 'authwire + ky', family: 'ky', kind: 'authwire', send: () => kySend(kyClient, url) },
    {
      name: 'authwire + got',
      family: 'got',
      kind: 'authwire',
      send: () => gotSend(gotClient, url),
    },
    {
      name: 'authwire + openapi-fetch',
      family: 'openapi-fetch',
      kind: 'authwire',
      send: () => openapi(parsed.pathname),
    },
    {
      name: 'authwire core + fetch',
      family: 'fetch',
      kind: 'authwire',
      send: () => fetchSend(coreFetch(url, { headers })),
    },
  ];
}

// ---------------------------------------------------------------- peers

/** axios-auth-refresh, as its README shows it, in front of a typical hand-written token cache. */
function axiosAuthRefreshArm(target: Target): Arm {
  const instance = axios.create({ headers: { ...target.staticHeaders }, httpAgent: agent() });
  const tokenClient = axios.create({ httpAgent: agent() });
  const cache = tokenCache(async () => {
    const response = await tokenClient.post<TokenBody>(
      target.tokenUrl,
      new URLSearchParams(form(target)),
    );
    return response.data;
  });
  // README: "Use interceptor to inject the token to requests".
  instance.interceptors.request.use(async (request) => {
    request.headers.Authorization = `Bearer ${await cache.get()}`;
    return request;
  });
  // README: refreshAuthLogic fetches a token, stores it and sets it on the failed request.
  // Cast: axios-auth-refresh is typed against axios' CJS typings, the bench imports the ESM ones.
  createAuthRefresh(
    instance as never,
    async (failedRequest: { response: { config: { headers: Record<string, string> } } }) => {
      const token = await cache.refresh();
      failedRequest.response.config.headers.Authorization = `Bearer ${token}`;
    },
  );
  return {
    name: 'axios-auth-refresh',
    family: 'axios',
    kind: 'peer',
    send: () => axiosSend(instance, target.url),
  };
}

/** ky's README: a `beforeRequest` hook with the token, an `afterResponse` one that refreshes on 401. */
function kyDocsArm(target: Target): Arm {
  const cache = tokenCache(() =>
    ky.post(target.tokenUrl, { body: new URLSearchParams(form(target)) }).json<TokenBody>(),
  );
  const instance = ky.create({
    headers: { ...target.staticHeaders },
    hooks: {
      beforeRequest: [
        async ({ request }) => {
          request.headers.set('Authorization', `Bearer ${await cache.get()}`);
        },
      ],
      afterResponse: [
        // ky readme, hooks.afterResponse: "Or retry with a fresh token on a 401 error".
        async ({ request, response, retryCount }) => {
          if (response.status === 401 && retryCount === 0) {
            const token = await cache.refresh();
            const headers = new Headers(request.headers);
            headers.set('Authorization', `Bearer ${token}`);
            return ky.retry({
              request: new Request(request, { headers }),
              code: 'TOKEN_REFRESHED',
            });
          }
          return undefined;
        },
      ],
    },
  });
  return {
    name: 'ky docs hooks',
    family: 'ky',
    kind: 'peer',
    send: () => kySend(instance, target.url),
  };
}

/** got's hooks docs: `afterResponse` + `retryWithMergedOptions` on 401, `mutableDefaults`. */
function gotDocsArm(target: Target): Arm {
  const cache = tokenCache(() =>
    got.post(target.tokenUrl, { form: form(target) }).json<TokenBody>(),
  );
  const instance: Got = got.extend({
    headers: { ...target.staticHeaders },
    agent: { http: agent() },
    retry: { limit: 0 },
    mutableDefaults: true,
    hooks: {
      beforeRequest: [
        async (options) => {
          options.headers.authorization = `Bearer ${await cache.get()}`;
        },
      ],
      afterResponse: [
        async (response, retryWithMergedOptions) => {
          if (response.statusCode === 401) {
            const updatedOptions = {
              headers: { authorization: `Bearer ${await cache.refresh()}` },
            };
            // got docs: "Update the defaults", then "Make a new retry".
            instance.defaults.options.merge(updatedOptions);
            return retryWithMergedOptions(updatedOptions);
          }
          return response;
        },
      ],
    },
  });
  return {
    name: 'got docs hooks',
    family: 'got',
    kind: 'peer',
    send: () => gotSend(instance, target.url),
  };
}

/** @badgateway/oauth2-client's fetch wrapper, as its README shows it for client credentials. */
function oauth2FetchArm(target: Target): Arm {
  const client = new OAuth2Client({
    server: new URL(target.tokenUrl).origin,
    tokenEndpoint: target.tokenUrl,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    authenticationMethod: 'client_secret_post',
  });
  const wrapper = new OAuth2Fetch({
    client,
    getNewToken: () => client.clientCredentials({ scope: [target.scope] }),
  });
  const headers = { ...target.staticHeaders };
  return {
    name: '@badgateway OAuth2Fetch',
    family: 'fetch',
    kind: 'peer',
    send: () => fetchSend(wrapper.fetch(target.url, { headers })),
  };
}

export function peerArms(target: Target): Arm[] {
  return [
    axiosAuthRefreshArm(target),
    kyDocsArm(target),
    gotDocsArm(target),
    oauth2FetchArm(target),
  ];
}
