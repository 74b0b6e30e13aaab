import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import type { TokenManager } from '@authwire/core';
import { REDACTED } from '@authwire/core/kit';
import {
  type Handler,
  receiverChecked,
  serve,
  serveRedirectAway,
  stubManager,
} from '@authwire/test-support';
import axios, { type AxiosError } from 'axios';
import { describe, expect, it } from 'vitest';
import { ejectAuth, withAuth } from '../src/index.ts';

/** A manager handing out tok-1, tok-2, … with an extra ApplicationId header. */
const manager = (origin: string): TokenManager =>
  stubManager(origin, { headers: { ApplicationId: '7' } });

// Answers 401 to tok-1, echoes what it saw otherwise.
const api: Handler = (req, res) => {
  const status = req.headers.authorization === 'Bearer tok-1' ? 401 : 200;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      authorization: req.headers.authorization ?? null,
      applicationid: req.headers.applicationid ?? null,
    }),
  );
};

/** A client on https://api.example.com whose adapter records the Authorization of each request. */
function recording() {
  const origin = 'https://api.example.com';
  const seen: (string | undefined)[] = [];
  const auth = manager(origin);
  const client = withAuth(
    axios.create({
      baseURL: origin,
      adapter: async (config) => {
        seen.push(config.headers.get('Authorization') as string | undefined);
        return { data: null, status: 200, statusText: 'OK', headers: {}, config };
      },
    }),
    auth,
  );
  return { client, seen, auth };
}

describe('withAuth / ejectAuth', () => {
  it('heals a 401 with the fresh token and stops sending tokens after ejectAuth', async () => {
    const origin = await serve(api);
    const client = withAuth(axios.create({ baseURL: origin }), manager(origin));
    expect((await client.get('/a')).data).toEqual({
      authorization: 'Bearer tok-2',
      applicationid: '7',
    });
    ejectAuth(client);
    expect((await client.get('/a')).data).toEqual({ authorization: null, applicationid: null });
  });

  it('heals through the fetch adapter without calling its fetch with the wrong `this` (workerd)', async () => {
    const origin = await serve(api);
    const fetch = receiverChecked(globalThis.fetch);
    const client = withAuth(
      axios.create({ baseURL: origin, adapter: 'fetch', env: { fetch } }),
      manager(origin),
    );
    expect((await client.get('/a')).data).toEqual({
      authorization: 'Bearer tok-2',
      applicationid: '7',
    });
  });

  it("sets its headers as axios' set() would: over the caller's in any case, not over a `false`", async () => {
    const origin = await serve(api);
    const client = withAuth(axios.create({ baseURL: origin }), manager(origin));
    const replaced = await client.get('/a', { headers: { AUTHORIZATION: 'Basic mine' } });
    expect(replaced.data).toEqual({ authorization: 'Bearer tok-2', applicationid: '7' });
    const config = replaced.config.headers.toJSON();
    expect(Object.keys(config).filter((k) => k.toLowerCase() === 'authorization')).toEqual([
      'AUTHORIZATION',
    ]);
    const kept = await client.get('/a', { headers: { authorization: false } });
    expect(kept.data).toEqual({ authorization: null, applicationid: '7' });
  });

  it('installs one set of interceptors when called twice', async () => {
    const origin = await serve(api);
    const client = axios.create({ baseURL: origin });
    withAuth(client, manager(origin));
    withAuth(client, manager(origin));
    // Ejected slots stay in `handlers` as null.
    const { handlers } = client.interceptors.request as unknown as { handlers: unknown[] };
    // One set: a synchronous request interceptor for a cached token, a waiting one otherwise.
    expect(handlers.filter(Boolean)).toHaveLength(2);
  });

  it('waits for a token when none is cached, dispatches synchronously when one is, and skips foreign origins and opted-out requests', async () => {
    const { client, seen } = recording();
    const cold = client.get('/a');
    expect(seen).toEqual([]); // no token yet: the request waits for it
    await cold;
    const warm = client.get('/b');
    // A cached token keeps axios' synchronous dispatch: sent before get() returned.
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-1']);
    await warm;
    await client.get('https://elsewhere.example.com/c');
    await client.get('/d', { authwire: false });
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-1', undefined, undefined]);
  });

  it('never sends a token invalidated before its request reached the interceptor', async () => {
    const { client, seen, auth } = recording();
    await client.get('/warm');
    const token = await auth.getToken();
    // Registered after withAuth, so axios runs it before authwire's interceptor.
    client.interceptors.request.use(
      (config) => {
        void auth.invalidate(token);
        return config;
      },
      undefined,
      { synchronous: true },
    );
    await expect(client.get('/a')).resolves.toMatchObject({ status: 200 });
    await client.get('/b');
    // The synchronous dispatch cannot wait: /a goes without the dead token (a 401 would heal it).
    expect(seen).toEqual(['Bearer tok-1', undefined, 'Bearer tok-2']);
  });

  it('re-checks the origin a later interceptor rewrote, on the fast path too', async () => {
    const { client, seen } = recording();
    await client.get('/warm');
    // Registered after withAuth, so it runs before authwire's interceptor.
    client.interceptors.request.use(
      (config) => ({ ...config, baseURL: 'https://elsewhere.example.com' }) as typeof config,
      undefined,
      { synchronous: true },
    );
    await client.get('/a');
    expect(seen).toEqual(['Bearer tok-1', undefined]);
  });
});

describe('redirects', () => {
  it('strips the token and the extra headers when a redirect leaves the origin', async () => {
    const { origin, seen } = await serveRedirectAway();
    const client = withAuth(axios.create(), manager(origin));
    expect((await client.get(`${origin}/moved`)).status).toBe(200);
    expect(seen.map((h) => [h.authorization, h.applicationid])).toEqual([[undefined, undefined]]);
  });

  it("runs the caller's own beforeRedirect after the strip, on every request", async () => {
    const { origin, seen } = await serveRedirectAway();
    const hooked: unknown[] = [];
    const client = withAuth(
      axios.create({
        beforeRedirect: (options) => void hooked.push(options.headers.ApplicationId),
      }),
      manager(origin),
    );
    await client.get(`${origin}/moved`);
    await client.get(`${origin}/moved`);
    // Our headers are gone before the caller's hook sees the hop, and it runs once per hop.
    expect(hooked).toEqual([undefined, undefined]);
    expect(seen.map((h) => [h.authorization, h.applicationid])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });

  // Fetch drops only Authorization on a cross-origin redirect: a token in its own header (Shopify)
  // and the extra headers beside it are the adapter's to keep, on either axios adapter.
  it.each(['http', 'fetch'] as const)(
    'keeps a token header other than Authorization on its origin (%s adapter, real servers)',
    async (adapter) => {
      const seen: Record<string, unknown>[] = [];
      const foreign = await serve((req, res) => {
        seen.push({ ...req.headers });
        res.end('{}');
      });
      let moves = 0;
      const origin = await serve((req, res) => {
        moves += 1;
        res.writeHead(302, { location: `${foreign}/landed` });
        res.end(String(req.headers['x-shop-token']));
      });
      const auth = stubManager(origin, {
        tokenHeader: 'X-Shop-Token',
        headers: { 'X-Shop-Key': 'shop-key-7' },
      });
      const client = withAuth(axios.create({ adapter }), auth);
      expect((await client.get(`${origin}/moved`)).status).toBe(200);
      expect(moves).toBe(1);
      expect(seen).toHaveLength(1);
      expect(seen[0]).not.toHaveProperty('x-shop-token');
      expect(seen[0]).not.toHaveProperty('x-shop-key');
      expect(JSON.stringify(seen)).not.toMatch(/tok-|shop-key/);
    },
  );
  it.each(['http', 'fetch'] as const)(
    'leaves the redirect to the caller with maxRedirects: 0 (%s adapter, a token header fetch keeps)',
    async (adapter) => {
      let landed = 0;
      const foreign = await serve((_req, res) => {
        landed += 1;
        res.end('{}');
      });
      const origin = await serve((_req, res) => {
        res.writeHead(302, { location: `${foreign}/landed` });
        res.end();
      });
      const auth = stubManager(origin, { tokenHeader: 'X-Shop-Token' });
      const client = withAuth(axios.create({ adapter, maxRedirects: 0 }), auth);
      const error = (await client.get(`${origin}/moved`).catch((e: unknown) => e)) as AxiosError;
      expect(error.response?.status).toBe(302);
      expect(landed).toBe(0);
    },
  );
});

describe('errors', () => {
  it('redacts what it attached and hides the raw request from inspection', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(401);
      res.end();
    });
    const client = withAuth(axios.create(), manager(origin));
    const error = (await client.get(`${origin}/x`).catch((e: unknown) => e)) as AxiosError;
    expect(error.response?.status).toBe(401);
    expect(error.config?.headers.Authorization).toBe(REDACTED);
    expect(error.config?.headers.ApplicationId).toBe(REDACTED);
    expect(error.request).toBeDefined();
    expect(Object.keys(error)).not.toContain('request');
  });
});

describe('which requests get the token', () => {
  it('resolves baseURL + url as axios does, and keeps absolute foreign URLs untouched', async () => {
    const seen: (string | undefined)[] = [];
    const origin = await serve((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization ?? 'none'}`);
      res.end('{}');
    });
    const other = await serve((req, res) => {
      seen.push(`other ${req.headers.authorization ?? 'none'}`);
      res.end('{}');
    });
    const api = withAuth(axios.create({ baseURL: `${origin}/api/` }), manager(origin));
    await api.get('/orders', { params: { page: 2 } });
    await api.get(`${other}/x`);
    const foreignBase = withAuth(axios.create({ baseURL: other }), manager(origin));
    await foreignBase.get('/y');
    expect(seen).toEqual(['/api/orders?page=2 Bearer tok-1', 'other none', 'other none']);
  });
});

describe('redaction with a stream body', () => {
  it('keeps the token out of a deep inspection of the 401 error', async () => {
    const origin = await serve((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(401);
        res.end('{}');
      });
    });
    const api = withAuth(axios.create(), manager(origin));
    const error = (await api
      .post(`${origin}/upload`, Readable.from(['chunk']))
      .catch((e: unknown) => e)) as AxiosError;
    expect(error.response?.status).toBe(401);
    const printed = inspect(error, { depth: 10 });
    expect(printed).not.toContain('tok-1');
    expect(JSON.stringify(error)).not.toContain('tok-1');
  });
});
