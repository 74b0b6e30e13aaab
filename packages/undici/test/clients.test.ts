// undici's own clients (request, fetch) with a composed Agent on undici 7 and 8: redirects, bodies, several managers, own requests.
import { AuthwireError, createTokenManager, memoryStore } from '@authwire/core';
import * as undici7 from 'undici7';
import * as undici8 from 'undici8';
import { describe, expect, it } from 'vitest';
import { authwire, type Interceptor } from '../src/index.ts';
import { type EchoResponse, servedForeign, servedNorce, servedOracle } from './served.ts';

interface Copy {
  readonly name: string;
  readonly agent: (...interceptors: Interceptor[]) => undici8.Dispatcher;
  readonly redirect: () => Interceptor;
  readonly request: typeof undici8.request;
  readonly fetch: typeof undici8.fetch;
}

const COPIES: Copy[] = [
  {
    name: 'undici 7',
    agent: (...interceptors) =>
      new undici7.Agent().compose(...interceptors) as unknown as undici8.Dispatcher,
    redirect: () => undici7.interceptors.redirect({ maxRedirections: 3 }),
    request: undici7.request as unknown as typeof undici8.request,
    fetch: undici7.fetch as unknown as typeof undici8.fetch,
  },
  {
    name: 'undici 8',
    agent: (...interceptors) => new undici8.Agent().compose(...interceptors),
    redirect: () => undici8.interceptors.redirect({ maxRedirections: 3 }),
    request: undici8.request,
    fetch: undici8.fetch,
  },
];

describe.each(COPIES)('$name', (copy) => {
  it('authorises undici.request, and heals its 401 with a Buffer body', async () => {
    const norce = await servedNorce();
    const dispatcher = copy.agent(authwire(norce.auth));
    const first = await copy.request(norce.apiUrl, { dispatcher });
    await first.body.dump();
    norce.mock.control.revokeAll();

    const response = await copy.request(norce.echoUrl, {
      dispatcher,
      method: 'POST',
      body: Buffer.from('order=42'),
    });

    expect(first.statusCode).toBe(200);
    expect(response.statusCode).toBe(200);
    const echo = (await response.body.json()) as EchoResponse;
    expect(echo.body).toBe('order=42');
    expect(norce.mock.control.counters.tokenEndpointCalls).toBe(2);
  });

  it('authorises undici.fetch with the dispatcher option', async () => {
    const oracle = await servedOracle();
    const dispatcher = copy.agent(authwire(oracle.auth));

    const responses = await Promise.all(
      Array.from({ length: 100 }, () => copy.fetch(oracle.apiUrl, { dispatcher })),
    );

    expect([...new Set(responses.map((r) => r.status))]).toEqual([200]);
    expect(oracle.mock.control.counters.tokenEndpointCalls).toBe(1);
  });

  it('decides each hop afresh under the redirect interceptor composed after it', async () => {
    const foreign = await servedForeign();
    const norce = await servedNorce(`${foreign.origin}/probe`);
    const dispatcher = copy.agent(authwire(norce.auth), copy.redirect());

    const response = await copy.request(`${norce.origin}/moved`, { dispatcher });

    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({ authorization: null, applicationid: null });
    expect(foreign.seen).toHaveLength(1);
  });

  it('sends each manager’s headers to its own origins only', async () => {
    const norce = await servedNorce();
    const oracle = await servedOracle();
    const dispatcher = copy.agent(authwire(norce.auth, oracle.auth));

    const toNorce = (await (
      await copy.fetch(norce.echoUrl, { dispatcher })
    ).json()) as EchoResponse;
    const toOracle = (await (
      await copy.fetch(oracle.echoUrl, { dispatcher })
    ).json()) as EchoResponse;

    expect(toNorce.headers.applicationid).toBeDefined();
    expect(toOracle.headers.applicationid).toBeUndefined();
    expect(toNorce.headers.authorization).not.toBe(toOracle.headers.authorization);
    expect(norce.mock.control.counters.tokenEndpointCalls).toBe(1);
    expect(oracle.mock.control.counters.tokenEndpointCalls).toBe(1);
  });

  it('leaves a request that carries its own Authorization alone', async () => {
    const norce = await servedNorce();
    const dispatcher = copy.agent(authwire(norce.auth));

    const response = await copy.fetch(norce.echoUrl, {
      dispatcher,
      headers: { Authorization: 'Bearer chosen-by-caller' },
    });

    expect(response.status).toBe(401);
    expect(norce.mock.control.counters.tokenEndpointCalls).toBe(0);
  });

  it('fails the request with the typed error when no token can be had', async () => {
    const norce = await servedNorce();
    const dispatcher = copy.agent(authwire(norce.auth));
    norce.mock.control.failNext(10, { status: 500 });

    const error = await copy.request(norce.apiUrl, { dispatcher }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthwireError);
    expect((error as AuthwireError).code).toBe('token_request_failed');
    expect(norce.mock.control.counters.apiCalls).toBe(0);
  });

  it('ends the wait for a token when the caller aborts', async () => {
    const norce = await servedNorce();
    const dispatcher = copy.agent(authwire(norce.auth));
    norce.mock.control.failNext(1, { delayMs: 1_000 });
    const controller = new AbortController();
    const pending = copy.request(norce.apiUrl, { dispatcher, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);

    await expect(pending).rejects.toThrow();

    expect(norce.mock.control.counters.apiCalls).toBe(0);
  });
});

describe('handler shapes', () => {
  it('answers a handler of the older shape (onHeaders / onData / onComplete) on undici 7', async () => {
    const norce = await servedNorce();
    const dispatcher = new undici7.Agent().compose(authwire(norce.auth));
    const { origin, pathname } = new URL(norce.echoUrl);
    const chunks: Buffer[] = [];

    const status = await new Promise<number>((resolve, reject) => {
      let code = 0;
      dispatcher.dispatch({ origin, path: pathname, method: 'GET' }, {
        onConnect: () => {},
        onHeaders: (statusCode: number) => {
          code = statusCode;
          return true;
        },
        onData: (chunk: Buffer) => {
          chunks.push(chunk);
          return true;
        },
        onComplete: () => resolve(code),
        onError: reject,
      } as unknown as undici7.Dispatcher.DispatchHandler);
    });

    expect(status).toBe(200);
    const echo = JSON.parse(Buffer.concat(chunks).toString()) as EchoResponse;
    expect(echo.headers.authorization).toMatch(/^Bearer /);
  });
});

describe('a second 401', () => {
  it('reaches the caller after one refresh, and the event says it was retried', async () => {
    const norce = await servedNorce();
    const dispatcher = new undici8.Agent().compose(authwire(norce.auth));
    expect((await undici8.fetch(norce.apiUrl, { dispatcher })).status).toBe(200);
    norce.mock.control.failNextApi(2, { status: 401 });

    const response = await undici8.fetch(norce.apiUrl, { dispatcher });

    expect(response.status).toBe(401);
    expect(norce.mock.control.counters.tokenEndpointCalls).toBe(2);
    expect(norce.events).toContainEqual(
      expect.objectContaining({ type: 'unauthorized_surfaced', why: 'retried' }),
    );
  });
});

describe('a manager whose token endpoint sits behind the same dispatcher', () => {
  it('sends its own token request untouched, once, without recursion', async () => {
    const api = await servedForeign();
    let dispatcher: undici8.Dispatcher = new undici8.Agent();
    // A provider that asks the API's own origin through the dispatcher being authorised.
    const auth = createTokenManager(
      {
        key: 'own-requests',
        origins: [api.origin],
        async fetchToken() {
          await (await undici8.fetch(`${api.origin}/probe`, { dispatcher })).text();
          return {
            accessToken: 'from-provider',
            tokenType: 'Bearer',
            issuedAt: Date.now(),
            expiresAt: Date.now() + 60_000,
          };
        },
      },
      { store: memoryStore() },
    );
    dispatcher = new undici8.Agent().compose(authwire(auth));

    const responses = await Promise.all(
      Array.from({ length: 100 }, () => undici8.fetch(`${api.origin}/probe`, { dispatcher })),
    );

    expect([...new Set(responses.map((r) => r.status))]).toEqual([200]);
    expect(api.seen[0]).toEqual({ authorization: null, applicationid: null });
    expect(api.seen.slice(1).map((seen) => seen.authorization)).toEqual(
      Array.from({ length: 100 }, () => 'Bearer from-provider'),
    );
    await auth.close();
  });
});
