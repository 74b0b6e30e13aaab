// Redirects the seam follows itself (a token header fetch would keep across origins): fetch's own
// rules (303 and 301/302 after POST become GETs, at most 20 hops), the seam's headers only for its origins.
import { describe, expect, it } from 'vitest';
import { authFetch, createTokenManager, memoryStore, type TokenProvider } from '../src/index.ts';
import { requestAuth } from '../src/kit.ts';
import { fakeProvider } from './fake-provider.ts';

const API = 'https://api.example.com';
const HEADER = 'X-Shopify-Access-Token';

function shopifyLike(tokenHeader: string | null = HEADER) {
  const provider: TokenProvider = { ...fakeProvider(), ...(tokenHeader ? { tokenHeader } : {}) };
  return createTokenManager(provider, { store: memoryStore(), origins: [API] });
}

/** A server from a path → response map; every request is recorded as sent. */
function server(routes: Record<string, (request: Request) => Response>) {
  const seen: {
    url: string;
    method: string;
    token: string | null;
    body: string;
    redirect: string;
  }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({
      url: request.url,
      method: request.method,
      token: request.headers.get(HEADER),
      body: await request.text(),
      redirect: request.redirect,
    });
    const route = routes[request.url] ?? (() => new Response('missing', { status: 404 }));
    return route(request);
  };
  return { fetch, seen };
}

const to =
  (location: string, status = 302) =>
  () =>
    new Response(null, { status, headers: { location } });

describe('redirects the seam follows itself', () => {
  it('keeps the token header on its own origins and drops it for good once a hop leaves them', async () => {
    const auth = shopifyLike();
    const { fetch, seen } = server({
      [`${API}/a`]: to(`${API}/b`, 301),
      [`${API}/b`]: to('https://cdn.example.net/c', 307),
      'https://cdn.example.net/c': to(`${API}/d`, 308),
      [`${API}/d`]: () => new Response('done'),
    });
    const response = await authFetch(auth, fetch)(`${API}/a`);
    expect(await response.text()).toBe('done');
    expect(seen.map((s) => [s.url, s.token])).toEqual([
      [`${API}/a`, 'token-1'],
      [`${API}/b`, 'token-1'],
      ['https://cdn.example.net/c', null],
      [`${API}/d`, null],
    ]);
    expect(seen.every((s) => s.redirect === 'manual')).toBe(true);
    await auth.close();
  });

  it('turns a POST into a body-less GET on 303 and 302, and keeps method and body on 307', async () => {
    const auth = shopifyLike();
    const { fetch, seen } = server({
      [`${API}/303`]: to(`${API}/after-303`, 303),
      [`${API}/after-303`]: () => new Response('ok'),
      [`${API}/302`]: to(`${API}/after-302`, 302),
      [`${API}/after-302`]: () => new Response('ok'),
      [`${API}/307`]: to(`${API}/after-307`, 307),
      [`${API}/after-307`]: () => new Response('ok'),
    });
    const send = authFetch(auth, fetch);
    for (const path of ['303', '302', '307'])
      await send(`${API}/${path}`, { method: 'POST', body: 'payload' });
    expect(seen.map((s) => [s.method, s.body])).toEqual([
      ['POST', 'payload'],
      ['GET', ''],
      ['POST', 'payload'],
      ['GET', ''],
      ['POST', 'payload'],
      ['POST', 'payload'],
    ]);
    await auth.close();
  });

  it('stops after 20 redirects as fetch does', async () => {
    const auth = shopifyLike();
    const { fetch, seen } = server({ [`${API}/loop`]: to(`${API}/loop`) });
    await expect(authFetch(auth, fetch)(`${API}/loop`)).rejects.toThrow(/too many redirects/);
    expect(seen).toHaveLength(21);
    await auth.close();
  });

  it('leaves redirects to fetch for Authorization (fetch drops it) and for redirect: manual', async () => {
    const bearer = shopifyLike(null);
    const one = server({ [`${API}/a`]: to('https://cdn.example.net/c') });
    const first = await authFetch(bearer, one.fetch)(`${API}/a`);
    expect(one.seen.map((s) => s.url)).toEqual([`${API}/a`]);
    expect(first.status).toBe(302);
    expect(one.seen.map((s) => s.redirect)).toEqual(['follow']);
    const custom = shopifyLike();
    const two = server({ [`${API}/a`]: to('https://cdn.example.net/c') });
    const manual = await authFetch(custom, two.fetch)(`${API}/a`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(two.seen).toHaveLength(1);
    const seam = requestAuth(custom);
    expect(seam.fetchWouldLeak((await seam.authorize({ url: `${API}/x` }))!)).toBe(true);
    await bearer.close();
    await custom.close();
  });
});
