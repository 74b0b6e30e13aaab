// 4. Many tenants per process: heap per manager + token, per axios instance wrapped by withAuth,
// and what stays after close(), for N tenants (forced GC), next to the peers installed here.
// Standalone: node --expose-gc --conditions=@authwire/source bench/scenarios/tenants.ts
import { withAuth } from '@authwire/axios';
import {
  authFetch,
  clientCredentials,
  createTokenManager,
  managerPool,
  memoryStore,
  type TokenManager,
  type TokenStore,
} from '@authwire/core';
import { withAuth as gotAuth } from '@authwire/got';
import { withAuth as kyAuth, authHooks as kyHooks } from '@authwire/ky';
import { norce } from '@authwire/norce';
import { withAuth as oafAuth } from '@authwire/openapi-fetch';
import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';
import axios, { type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { createAuthRefresh } from 'axios-auth-refresh';
import got, { type Got } from 'got';
import ky, { type KyInstance } from 'ky';
import * as oauth from 'oauth4webapi';
import createClient, { type Client } from 'openapi-fetch';
import { round, settledHeap } from '../lib/stats.ts';
import { tokenCache } from '../lib/token-cache.ts';

export interface TenantRow {
  readonly what: string;
  readonly client: string;
  readonly bytesPerTenant: number;
}

export interface TenantsResult {
  readonly tenants: number;
  readonly tokenLength: number;
  readonly rows: TenantRow[];
}

// Short opaque tokens (43 characters, a base64url of 32 bytes) so the rows show each library's
// own cost; a real Norce JWT (~1.1 kB) adds the same to every client.
const tokenFor = (i: number): string => `tok-${String(i).padStart(8, '0')}-${'x'.repeat(30)}`;
const tokenUrl = (i: number): string => `https://tenant-${i}.example.com/oauth2/token`;
const apiOrigin = (i: number): string => `https://tenant-${i}.example.com`;

/**
 * A token endpoint without a network, one function for every tenant (a closure per tenant would
 * be the bench's own cost): answers with the token of the tenant named in the URL's host.
 */
const stubFetch: typeof fetch = async (input) => {
  const url = input instanceof Request ? input.url : String(input);
  const tenant = Number(/tenant-(-?\d+)\./.exec(url)?.[1]);
  return new Response(
    JSON.stringify({ access_token: tokenFor(tenant), token_type: 'Bearer', expires_in: 3600 }),
    { headers: { 'content-type': 'application/json' } },
  );
};

/** Each adapter's bare instance for tenant `i`, and how it is wrapped (the README's set-up). */
const otherAdapters: [
  string,
  (i: number) => unknown,
  (bare: unknown, auth: TokenManager, i: number) => unknown,
][] = [
  [
    'ky instance',
    (i) => ky.create({ prefix: apiOrigin(i) }),
    (bare, auth) => kyAuth(bare as KyInstance, auth),
  ],
  [
    'ky.create with authHooks',
    (i) => ky.create({ prefix: apiOrigin(i) }),
    (_bare, auth, i) => ky.create({ prefix: apiOrigin(i), hooks: kyHooks(auth) }),
  ],
  [
    'got instance',
    (i) => got.extend({ prefixUrl: apiOrigin(i) }),
    (bare, auth) => gotAuth(bare as Got, auth),
  ],
  [
    'openapi-fetch client',
    (i) => createClient({ baseUrl: apiOrigin(i) }),
    (bare, auth) => oafAuth(bare as Client<object>, auth),
  ],
  ['authFetch', () => undefined, (_bare, auth) => authFetch(auth)],
];

/** An axios adapter that answers 200 without a network. */
const stubAdapter = async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => ({
  data: null,
  status: 200,
  statusText: 'OK',
  headers: {},
  config,
});

function authwireManager(i: number, store: TokenStore | undefined): TokenManager {
  return createTokenManager(
    clientCredentials({
      tokenUrl: tokenUrl(i),
      clientId: `client-${i}`,
      clientSecret: `secret-${i}`,
    }),
    { origins: [apiOrigin(i)], fetch: stubFetch, ...(store ? { store } : {}) },
  );
}

function norceManager(i: number): TokenManager {
  return norce({
    clientId: `client-${i}`,
    clientSecret: `secret-${i}`,
    applicationId: 1000 + Math.abs(i),
    clientName: `tenant-${Math.abs(i)}`,
    environment: 'stage',
    fetch: stubFetch,
  });
}

/** heapUsed after GC, per tenant, while `hold` keeps what `make` built for each tenant alive. */
async function perTenant<T>(
  tenants: number,
  make: (i: number) => T | Promise<T>,
): Promise<{ bytes: number; held: T[] }> {
  const before = await settledHeap();
  const held: T[] = [];
  for (let i = 0; i < tenants; i++) held.push(await make(i));
  const after = await settledHeap();
  return { bytes: round((after - before) / tenants, 0), held };
}

export async function runTenants(
  tenants: number,
  log: (line: string) => void = () => {},
): Promise<TenantsResult> {
  const rows: TenantRow[] = [];
  const row = (what: string, client: string, bytesPerTenant: number) => {
    rows.push({ what, client, bytesPerTenant });
    log(`  tenants: ${what}, ${client}: ${bytesPerTenant} B`);
  };
  // Warm-up, the measured sequence on a few hundred tenants: module state, JIT-compiled code and
  // the shared store's maps are not per-tenant costs.
  for (let round = 0; round < 3; round++) {
    const warm: TokenManager[] = [];
    for (let i = 0; i < 300; i++) {
      const m = authwireManager(-1 - i, undefined);
      await m.getToken();
      withAuth(axios.create(), m);
      for (const [, bare, wrap] of otherAdapters) wrap(bare(-1 - i), m, -1 - i);
      warm.push(m);
      const n = norceManager(100_000 + i);
      await n.getToken();
      warm.push(n);
    }
    for (const m of warm) await m.close();
  }

  // Norce tenants, the preset most agencies run many of (its own origins, rate limit, headers).
  {
    const norceManagers = await perTenant(tenants, async (i) => {
      const manager = norceManager(i);
      await manager.getToken();
      return manager;
    });
    row('manager + token', 'authwire norce() (default shared store)', norceManagers.bytes);
    for (const manager of norceManagers.held) await manager.close();
    norceManagers.held.length = 0;
  }

  for (const [label, store] of [
    ['default shared store', () => undefined],
    ['memoryStore() each', () => memoryStore()],
  ] as const) {
    const baseline = await settledHeap();
    const managers = await perTenant(tenants, async (i) => {
      const manager = authwireManager(i, store());
      await manager.getToken();
      return manager;
    });
    row('manager + token', `authwire (${label})`, managers.bytes);

    // Wrapped axios instances against bare ones, with the managers alive in both.
    const bareEach = (await perTenant(tenants, () => axios.create())).bytes;
    const wrapped = await perTenant(tenants, (i) =>
      withAuth(axios.create(), managers.held[i] as TokenManager),
    );
    row(
      'axios instance wrapped (minus a bare one)',
      `authwire withAuth (${label})`,
      wrapped.bytes - bareEach,
    );
    // What the first request leaves in the manager and the wrapped instance (the token's headers
    // worked out once, the seam's memory of what it sent), through a stub adapter.
    const beforeRequests = await settledHeap();
    for (const [i, instance] of wrapped.held.entries()) {
      await instance.get(`${apiOrigin(i)}/orders`, { adapter: stubAdapter });
    }
    row(
      'kept after one request through each (manager + instance)',
      `authwire withAuth (${label})`,
      round(((await settledHeap()) - beforeRequests) / tenants, 0),
    );
    wrapped.held.length = 0;

    // The other adapters, on the default store: each wrapped instance minus the bare one it
    // replaces (ky and got instances are immutable: withAuth returns an extended copy).
    if (label === 'default shared store') {
      for (const [client, bare, wrap] of otherAdapters) {
        const bareOnes = await perTenant(tenants, bare);
        bareOnes.held.length = 0;
        const made = await perTenant(tenants, (i) =>
          wrap(bare(i), managers.held[i] as TokenManager, i),
        );
        made.held.length = 0;
        row(
          `${client} wrapped (minus a bare one)`,
          `authwire ${client}`,
          made.bytes - bareOnes.bytes,
        );
      }
    }

    for (const manager of managers.held) await manager.close();
    managers.held.length = 0;
    const retained = (await settledHeap()) - baseline;
    row(
      'retained after close() + dropping references',
      `authwire (${label})`,
      round(retained / tenants, 0),
    );
  }

  // The same tenant count through managerPool: create, use, close, one after another.
  {
    const baseline = await settledHeap();
    const pool = managerPool((tenant) => authwireManager(Number(tenant), undefined), {
      max: 100,
      idleMs: Number.POSITIVE_INFINITY,
    });
    for (let i = 0; i < tenants; i++) await (await pool.get(String(i))).getToken();
    await pool.close();
    const retained = (await settledHeap()) - baseline;
    row(
      `retained after ${tenants} create/close cycles`,
      'authwire managerPool (max 100)',
      round(retained / tenants, 0),
    );
  }

  // Peers: the same token per tenant, their README set-ups.
  {
    const clients = await perTenant(tenants, async (i) => {
      const client = new OAuth2Client({
        server: apiOrigin(i),
        tokenEndpoint: tokenUrl(i),
        clientId: `client-${i}`,
        clientSecret: `secret-${i}`,
        authenticationMethod: 'client_secret_post',
        fetch: stubFetch,
      });
      // Client credentials bring no refresh token, so OAuth2Fetch schedules no refresh timer.
      const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
      await wrapper.getToken();
      return wrapper;
    });
    row('client + token', '@badgateway/oauth2-client OAuth2Fetch', clients.bytes);
    clients.held.length = 0;
  }
  {
    // oauth4webapi's README set-up for client credentials: what a caller keeps per tenant.
    const clients = await perTenant(tenants, async (i) => {
      const as: oauth.AuthorizationServer = {
        issuer: apiOrigin(i),
        token_endpoint: tokenUrl(i),
      };
      const client: oauth.Client = { client_id: `client-${i}` };
      const clientAuth = oauth.ClientSecretPost(`secret-${i}`);
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        clientAuth,
        new URLSearchParams(),
        { [oauth.customFetch]: stubFetch },
      );
      const token = await oauth.processClientCredentialsResponse(as, client, response);
      return { as, client, clientAuth, token };
    });
    row('client + token', 'oauth4webapi', clients.bytes);
    clients.held.length = 0;
  }
  {
    const bareEach = (await perTenant(tenants, () => axios.create())).bytes;
    const instances = await perTenant(tenants, async (i) => {
      const instance = axios.create();
      const cache = tokenCache(async () => ({ access_token: tokenFor(i), expires_in: 3600 }));
      instance.interceptors.request.use(async (request) => {
        request.headers.Authorization = `Bearer ${await cache.get()}`;
        return request;
      });
      createAuthRefresh(instance as never, async () => {
        await cache.refresh();
      });
      await cache.get();
      return instance;
    });
    row(
      'axios instance + token (minus a bare one)',
      'axios-auth-refresh + hand-written cache',
      instances.bytes - bareEach,
    );
    row('a bare axios.create() instance, for scale', 'axios', bareEach);
    instances.held.length = 0;
  }
  return { tenants, tokenLength: tokenFor(0).length, rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(
      process.execPath,
      ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)],
      { stdio: 'inherit' },
    );
    process.exit(result.status ?? 1);
  }
  const tenants = Number(process.env.BENCH_TENANTS ?? 10_000);
  const result = await runTenants(tenants, (line) => process.stderr.write(`${line}\n`));
  console.log(
    `\n${tenants.toLocaleString('en')} tenants, tokens of ${result.tokenLength} characters (Node ${process.version})`,
  );
  for (const r of result.rows)
    console.log(
      `${r.what.padEnd(48)} ${r.client.padEnd(42)} ${String(r.bytesPerTenant).padStart(7)} B`,
    );
  process.exit(0);
}
