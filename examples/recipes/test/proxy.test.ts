import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withAuth as withAxios } from '@authwire/axios';
import { authFetch, memoryStore } from '@authwire/core';
import { withAuth as withGot } from '@authwire/got';
import { NORCE_MOCK_DEFAULTS, norceMock, serveMock } from '@authwire/msw';
import { type NorceOptions, norce } from '@authwire/norce';
import axios from 'axios';
import got from 'got';
import { createProxy } from 'proxy';
import { getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { axiosProxy, gotProxyAgents, proxiedFetch, proxyAllFetchFromEnv } from '../src/proxy.ts';

/** A forward proxy on loopback (plain requests and CONNECT tunnels) that records what it carried. */
async function startProxy() {
  const seen: string[] = [];
  const server = createServer();
  // Our listeners run before the proxy's: they only record the target.
  server.on('request', (req: IncomingMessage) => seen.push(`${req.method} ${req.url}`));
  server.on('connect', (req: IncomingMessage) => seen.push(`CONNECT ${req.url}`));
  createProxy(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The mock served over real HTTP: MSW's in-process interception would answer before any proxy.
const served = await serveMock((baseUrl) => norceMock({ baseUrl, environment: 'stage' }));
const target = new URL(served.url).host;
const options = (extra: Partial<NorceOptions> = {}): NorceOptions => ({
  clientId: NORCE_MOCK_DEFAULTS.clientId,
  clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
  applicationId: NORCE_MOCK_DEFAULTS.applicationId,
  clientName: 'acme',
  environment: 'stage',
  tokenUrl: served.mock.tokenUrl,
  baseUrl: served.mock.apiOrigin,
  store: memoryStore(),
  ...extra,
});
const carried = (proxy: { seen: string[] }) => proxy.seen.filter((line) => line.includes(target));

let tokenProxy: Awaited<ReturnType<typeof startProxy>>;
let apiProxy: Awaited<ReturnType<typeof startProxy>>;
beforeAll(async () => {
  tokenProxy = await startProxy();
  apiProxy = await startProxy();
});
afterEach(() => {
  tokenProxy.seen.length = 0;
  apiProxy.seen.length = 0;
  served.mock.control.reset();
});
afterAll(async () => {
  await tokenProxy.close();
  await apiProxy.close();
  await served.close();
});

describe('recipe: token and API requests through a proxy', () => {
  it('fetch: the token request through one proxy (the manager’s fetch), the API request through another (authFetch)', async () => {
    const auth = norce(options({ fetch: proxiedFetch(tokenProxy.url) }));
    try {
      await auth.getToken();
      expect(carried(tokenProxy).length).toBeGreaterThan(0);
      expect(carried(apiProxy)).toEqual([]);
      const api = authFetch(auth, proxiedFetch(apiProxy.url));
      const res = await api(`${auth.baseUrl}/commerce/metadata/1.1/GetApplication`);
      expect(res.status).toBe(200);
      expect(carried(apiProxy).length).toBeGreaterThan(0);
      expect(served.mock.control.counters.tokenRequests).toBe(1);
    } finally {
      await auth.close();
    }
  });

  it('HTTP(S)_PROXY for every fetch in the process (undici EnvHttpProxyAgent)', async () => {
    const before = getGlobalDispatcher();
    vi.stubEnv('HTTP_PROXY', tokenProxy.url);
    vi.stubEnv('HTTPS_PROXY', tokenProxy.url);
    vi.stubEnv('NO_PROXY', '');
    const agent = proxyAllFetchFromEnv();
    const auth = norce(options());
    try {
      const res = await authFetch(auth)(`${auth.baseUrl}/commerce/product/1.1/ListProducts`);
      expect(res.status).toBe(200);
      expect(served.mock.control.counters.tokenRequests).toBe(1);
      expect(served.mock.control.apiRequests).toHaveLength(1);
      // Without an own fetch, the token request went through the process-wide proxy too.
      expect(carried(tokenProxy).length).toBeGreaterThan(0);
    } finally {
      await auth.close();
      setGlobalDispatcher(before);
      await agent.close();
      vi.unstubAllEnvs();
    }
  });

  it('Node 24: NODE_USE_ENV_PROXY=1 sends token and API requests through HTTP_PROXY with no proxy code', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--conditions=@authwire/source',
        fileURLToPath(new URL('env-proxy-child.ts', import.meta.url)),
      ],
      {
        timeout: 15_000,
        env: {
          ...process.env,
          NODE_USE_ENV_PROXY: '1',
          HTTP_PROXY: tokenProxy.url,
          NO_PROXY: '',
          MOCK_TOKEN_URL: served.mock.tokenUrl,
          MOCK_API_ORIGIN: served.mock.apiOrigin,
        },
      },
    );
    expect(stdout.trim()).toBe('200');
    expect(served.mock.control.counters.tokenRequests).toBe(1);
    expect(carried(tokenProxy).length).toBeGreaterThan(0);
  });

  it('axios and got: API requests through their proxy agents, 401 healed through the proxy', async () => {
    const auth = norce(options({ fetch: proxiedFetch(tokenProxy.url) }));
    try {
      const viaAxios = withAxios(
        axios.create({ baseURL: auth.baseUrl, ...axiosProxy(apiProxy.url) }),
        auth,
      );
      expect((await viaAxios.get('/commerce/metadata/1.1/GetApplication')).status).toBe(200);
      const axiosCarried = carried(apiProxy).length;
      expect(axiosCarried).toBeGreaterThan(0);

      served.mock.control.revokeAll();
      const viaGot = withGot(
        got.extend({
          prefixUrl: auth.baseUrl,
          agent: gotProxyAgents(apiProxy.url),
          retry: { limit: 0 },
        }),
        auth,
      );
      const products = await viaGot
        .get('commerce/product/1.1/ListProducts')
        .json<{ ItemCount: number }>();
      expect(products.ItemCount).toBe(2);
      expect(carried(apiProxy).length).toBeGreaterThan(axiosCarried);
      expect(served.mock.control.counters).toMatchObject({ tokenRequests: 2, api401s: 1 });
    } finally {
      await auth.close();
    }
  });
});
