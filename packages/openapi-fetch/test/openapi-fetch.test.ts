import type { TokenManager } from '@authwire/core';
import { receiverChecked, stubManager } from '@authwire/test-support';
import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { authMiddleware, withAuth } from '../src/index.ts';
import type { paths } from './paths.ts';

const ORIGIN = 'https://api.example.com';
/** A manager handing out tok-1, tok-2, … */
const manager = (): TokenManager => stubManager(ORIGIN);

/** The client's injected fetch: 401 for tok-1, the order and what arrived otherwise. */
function api() {
  const seen: (string | null)[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const authorization = request.headers.get('authorization');
    seen.push(authorization);
    if (authorization === 'Bearer tok-1') return new Response(null, { status: 401 });
    return Response.json({ id: 42, note: await request.text(), authorization });
  };
  return { fetch, seen };
}

describe('authMiddleware', () => {
  it("re-sends a 401 once through the client's own fetch, body included", async () => {
    const { fetch, seen } = api();
    const client = withAuth(createClient<paths>({ baseUrl: ORIGIN, fetch }), manager());
    const { data } = await client.POST('/orders/{id}', {
      params: { path: { id: 42 } },
      body: { note: 'hello' },
    });
    expect(data).toEqual({ id: 42, note: '{"note":"hello"}', authorization: 'Bearer tok-2' });
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it("re-sends through the client's fetch unbound, as workerd's fetch demands", async () => {
    const { fetch, seen } = api();
    const client = withAuth(
      createClient<paths>({ baseUrl: ORIGIN, fetch: receiverChecked(fetch) }),
      manager(),
    );
    const { data, error } = await client.GET('/orders/{id}', { params: { path: { id: 1 } } });
    expect(error).toBeUndefined();
    expect(data?.id).toBe(42);
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('sends a call with `authwire: false` without a token', async () => {
    const { fetch, seen } = api();
    const client = withAuth(createClient<paths>({ baseUrl: ORIGIN, fetch }), manager());
    await client.GET('/orders/{id}', { params: { path: { id: 1 } }, authwire: false });
    expect(seen).toEqual([null]);
  });

  it('can be ejected like any middleware', async () => {
    const { fetch, seen } = api();
    const client = createClient<paths>({ baseUrl: ORIGIN, fetch });
    const middleware = authMiddleware(manager());
    client.use(middleware);
    client.eject(middleware);
    await client.GET('/orders/{id}', { params: { path: { id: 1 } } });
    expect(seen).toEqual([null]);
  });
});
