// The callgrind hook floor (row 1b′) is honest only if it installs exactly what each adapter
// installs: the same hooks, in the same shape, and on a cached-token request the same ones run.
// Nothing here is timed: shapes are compared, hook calls counted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withAuth as axiosAuth } from '@authwire/axios';
import {
  authFetch,
  createTokenManager,
  type Fetch,
  memoryStore,
  type Token,
  type TokenManager,
} from '@authwire/core';
import { authHooks as gotAuthHooks } from '@authwire/got';
import { authHooks as kyAuthHooks } from '@authwire/ky';
import { authMiddleware } from '@authwire/openapi-fetch';
import { authwire } from '@authwire/undici';
import axios, { type AxiosInstance } from 'axios';
import got from 'got';
import ky from 'ky';
import createClient, { type Middleware } from 'openapi-fetch';
import { Agent, type Dispatcher, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axiosFloor,
  fetchFloor,
  gotFloorHooks,
  kyFloorHooks,
  openapiFetchFloor,
  undiciFloor,
} from '../lib/hook-floors.ts';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmbG9vciJ9.c2lnbmF0dXJl';
const STATIC = { authorization: `Bearer ${TOKEN}` };

type Fn = (...args: never[]) => unknown;
type HookLists = Record<string, readonly Fn[] | undefined>;

/** 'AsyncFunction' or 'Function' for each hook, by hook name. */
const shape = (hooks: HookLists) =>
  Object.fromEntries(
    Object.entries(hooks).map(([name, list]) => [
      name,
      (list ?? []).map((f) => f.constructor.name),
    ]),
  );

/** The same hooks, each wrapped to count its calls (by hook name and position). */
function counted(hooks: HookLists): { hooks: HookLists; calls: Record<string, number[]> } {
  const calls: Record<string, number[]> = {};
  const wrapped = Object.fromEntries(
    Object.entries(hooks).map(([name, list]) => {
      const counts = (list ?? []).map(() => 0);
      calls[name] = counts;
      return [
        name,
        (list ?? []).map((hook, i) => (...args: never[]) => {
          counts[i] = (counts[i] ?? 0) + 1;
          return hook(...args);
        }),
      ];
    }),
  );
  return { hooks: wrapped, calls };
}

type AxiosHandler = {
  fulfilled?: Fn;
  rejected?: Fn;
  synchronous: boolean;
  runWhen: ((config: unknown) => boolean) | null;
};
const handlersOf = (instance: AxiosInstance) => ({
  request: (instance.interceptors.request as unknown as { handlers: AxiosHandler[] }).handlers,
  response: (instance.interceptors.response as unknown as { handlers: AxiosHandler[] }).handlers,
});
const axiosShape = (instance: AxiosInstance) => {
  const { request, response } = handlersOf(instance);
  const one = (h: AxiosHandler) => ({
    fulfilled: h.fulfilled?.constructor.name ?? null,
    rejected: h.rejected?.constructor.name ?? null,
    synchronous: h.synchronous,
    runWhen: typeof h.runWhen,
  });
  return { request: request.map(one), response: response.map(one) };
};

let server: Server;
let origin: string;
const received: (string | undefined)[] = [];
let auth: TokenManager;

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(req.headers.authorization);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  auth = createTokenManager(
    {
      key: 'bench|hook-floors',
      fetchToken: async (): Promise<Token> => ({
        accessToken: TOKEN,
        tokenType: 'Bearer',
        issuedAt: Date.now(),
        expiresAt: Date.now() + 3_600_000,
      }),
    },
    { origins: [origin], store: memoryStore() },
  );
  // Cached from here on: every request below is the cached-token path the floor is measured on.
  await auth.getToken();
});

afterAll(async () => {
  await auth.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** One GET through `send`; returns what the server saw as Authorization. */
async function oneRequest(send: () => Promise<unknown>): Promise<string | undefined> {
  const before = received.length;
  await send();
  expect(received.length).toBe(before + 1);
  return received[before];
}

describe('hook floor: the hooks authwire installs, doing nothing', () => {
  it('axios: the same interceptors, flags and runWhen; the same ones run on a cached token', async () => {
    const authed = axiosAuth(axios.create(), auth);
    const floor = axiosFloor(axios.create({ headers: STATIC }));
    expect(axiosShape(floor)).toEqual(axiosShape(authed));
    expect(axiosShape(floor).request).toHaveLength(2);

    const runs = async (instance: AxiosInstance) => {
      const { request: req, response } = handlersOf(instance);
      const calls: number[] = [];
      const all = [...req, ...response];
      all.forEach((h, i) => {
        calls[i] = 0;
        const inner = h.fulfilled;
        if (inner)
          h.fulfilled = (...args: never[]) => {
            calls[i] = (calls[i] ?? 0) + 1;
            return inner(...args);
          };
      });
      const seen = await oneRequest(() => instance.get(`${origin}/data`));
      return { seen, calls };
    };
    const a = await runs(authed);
    const f = await runs(floor);
    expect(f.calls).toEqual(a.calls);
    expect(f.calls).toEqual([1, 0, 0]);
    expect(f.seen).toBe(a.seen);
  });

  it('got: the same five hooks, async where authwire is; the same ones run', async () => {
    const floorShape = shape(gotFloorHooks() as HookLists);
    expect(floorShape).toEqual(shape(gotAuthHooks(auth) as HookLists));

    const runs = async (hooks: HookLists, headers: Record<string, string>) => {
      const c = counted(hooks);
      const api = got.extend({ headers, hooks: c.hooks as never, retry: { limit: 0 } });
      const seen = await oneRequest(() => api.get(`${origin}/data`));
      return { seen, calls: c.calls };
    };
    const a = await runs(gotAuthHooks(auth) as HookLists, {});
    const f = await runs(gotFloorHooks() as HookLists, STATIC);
    expect(f.calls).toEqual(a.calls);
    expect(f.calls).toMatchObject({ beforeRequest: [1], afterResponse: [1], beforeError: [0] });
    expect(f.seen).toBe(a.seen);
  });

  it('ky: init, beforeRequest, beforeError as authwire; the same ones run, both through a fetch of the hook', async () => {
    expect(shape(kyFloorHooks() as HookLists)).toEqual(shape(kyAuthHooks(auth) as HookLists));
    expect(shape(kyFloorHooks(STATIC) as HookLists)).toEqual(shape(kyAuthHooks(auth) as HookLists));

    const runs = async (hooks: HookLists, headers: Record<string, string>) => {
      const c = counted(hooks);
      let throughOption = 0;
      const fetched: Fetch = async (input, init) => {
        throughOption += 1;
        return globalThis.fetch(input, init);
      };
      const api = ky.create({ headers, retry: 0, fetch: fetched, hooks: c.hooks as never });
      const seen = await oneRequest(async () => (await api.get(`${origin}/data`)).arrayBuffer());
      return { seen, calls: c.calls, throughOption };
    };
    const a = await runs(kyAuthHooks(auth) as HookLists, {});
    // As the bench's hooks arm: no default header, the floor's fetch sets it on the Request.
    const f = await runs(kyFloorHooks(STATIC) as HookLists, {});
    expect(f.calls).toEqual(a.calls);
    expect(f.calls).toMatchObject({ init: [1], beforeRequest: [1], beforeError: [0] });
    expect([f.throughOption, a.throughOption]).toEqual([1, 1]);
    expect(f.seen).toBe(a.seen);
  });

  it('openapi-fetch: onRequest and onResponse, async as authwire; both run', async () => {
    const names = (m: Middleware) =>
      Object.fromEntries(Object.entries(m).map(([k, v]) => [k, (v as Fn).constructor.name]));
    expect(names(openapiFetchFloor())).toEqual(names(authMiddleware(auth)));

    const runs = async (middleware: Middleware, headers: Record<string, string>) => {
      const c = counted(
        Object.fromEntries(Object.entries(middleware).map(([k, v]) => [k, [v as Fn]])),
      );
      const client = createClient({ baseUrl: origin, headers });
      client.use(
        Object.fromEntries(
          Object.entries(c.hooks).map(([k, list]) => [k, (list as Fn[])[0]]),
        ) as Middleware,
      );
      const get = client.GET as unknown as (path: string, init: object) => Promise<unknown>;
      const seen = await oneRequest(() => get('/data', { parseAs: 'arrayBuffer' }));
      return { seen, calls: c.calls };
    };
    const a = await runs(authMiddleware(auth), {});
    const f = await runs(openapiFetchFloor(), STATIC);
    expect(f.calls).toEqual(a.calls);
    expect(f.calls).toEqual({ onRequest: [1], onResponse: [1] });
    expect(f.seen).toBe(a.seen);
  });

  it('fetch: an async wrapper calling the given fetch once, as authFetch', async () => {
    expect(fetchFloor().constructor.name).toBe(authFetch(auth).constructor.name);
    const calls = { floor: 0, authwire: 0 };
    const inner =
      (arm: keyof typeof calls): Fetch =>
      (input, init) => {
        calls[arm] += 1;
        return globalThis.fetch(input, init);
      };
    const read = async (send: Fetch, headers: Record<string, string>) =>
      oneRequest(async () => (await send(`${origin}/data`, { headers })).arrayBuffer());
    const f = await read(fetchFloor(inner('floor')), STATIC);
    const a = await read(authFetch(auth, inner('authwire')), {});
    expect(calls).toEqual({ floor: 1, authwire: 1 });
    expect(f).toBe(a);
  });

  it('undici: one interceptor for compose(), passing each dispatch on once', async () => {
    const dispatches = { floor: 0, authwire: 0 };
    const countedInterceptor =
      (
        arm: keyof typeof dispatches,
        interceptor: Dispatcher.DispatcherComposeInterceptor,
      ): Dispatcher.DispatcherComposeInterceptor =>
      (dispatch) =>
        interceptor((options, handler) => {
          dispatches[arm] += 1;
          return dispatch(options, handler);
        });
    const read = async (dispatcher: Dispatcher, headers: Record<string, string>) =>
      oneRequest(async () =>
        (await request(`${origin}/data`, { headers, dispatcher })).body.text(),
      );
    const agents = [new Agent(), new Agent()];
    const [plainFloor, plainAuth] = agents as [Agent, Agent];
    const f = await read(plainFloor.compose(countedInterceptor('floor', undiciFloor())), STATIC);
    const a = await read(plainAuth.compose(countedInterceptor('authwire', authwire(auth))), {});
    expect(dispatches).toEqual({ floor: 1, authwire: 1 });
    expect(f).toBe(a);
    await Promise.all(agents.map((agent) => agent.close()));
  });
});
