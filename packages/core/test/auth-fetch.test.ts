import { afterEach, describe, expect, it } from 'vitest';
import { authFetch, createTokenManager, memoryStore, type TokenManager } from '../src/index.ts';
import { fakeProvider } from './fake-provider.ts';

const API = 'https://api.example.com';
const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

/** A fake API: 401 for the tokens in `refuse`, else echoes what it received. */
function api(refuse: (authorization: string | null) => boolean) {
  const seen: { url: string; authorization: string | null; body: string }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const authorization = request.headers.get('authorization');
    const body = await request.text();
    seen.push({ url: request.url, authorization, body });
    return new Response(JSON.stringify({ body }), { status: refuse(authorization) ? 401 : 200 });
  };
  return { fetch, seen };
}

function setup() {
  const provider = fakeProvider();
  const auth = createTokenManager(provider, { store: memoryStore() });
  managers.push(auth);
  return { provider, auth };
}

/** Like workerd's fetch: throws when called with a `this` other than the global object. */
function receiverChecked<F extends (...args: never[]) => unknown>(inner: F): F {
  return function checked(this: unknown, ...args: Parameters<F>) {
    if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
    return inner(...args);
  } as unknown as F;
}

describe('authFetch', () => {
  it('calls its fetch unbound, for a Request and for a URL, first try and retry', async () => {
    const { auth } = setup();
    const { fetch, seen } = api((authorization) => authorization === 'Bearer token-1');
    const send = authFetch(auth, receiverChecked(fetch));
    expect((await send(`${API}/a`, { method: 'POST', body: 'x' })).status).toBe(200);
    expect((await send(new Request(`${API}/b`, { method: 'POST', body: 'y' }))).status).toBe(200);
    expect(seen.map((s) => s.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
      'Bearer token-2',
    ]);
  });

  it('attaches the token to its origins only', async () => {
    const { auth, provider } = setup();
    const { fetch, seen } = api(() => false);
    const send = authFetch(auth, fetch);
    await send(`${API}/orders`);
    await send('https://elsewhere.example.com/x');
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer token-1', null]);
    expect(provider.calls).toHaveLength(1);
  });

  it('retries a 401 once with a fresh token and re-sends the body intact', async () => {
    const { auth, provider } = setup();
    const { fetch, seen } = api((a) => a === 'Bearer token-1');
    const response = await authFetch(auth, fetch)(`${API}/orders`, {
      method: 'POST',
      body: 'payload',
    });
    expect(response.status).toBe(200);
    expect(seen.map((s) => `${s.authorization} ${s.body}`)).toEqual([
      'Bearer token-1 payload',
      'Bearer token-2 payload',
    ]);
    expect(provider.calls).toHaveLength(2);
  });

  it('returns a second 401 as is (no loop)', async () => {
    const { auth } = setup();
    const { fetch, seen } = api(() => true);
    const response = await authFetch(auth, fetch)(new Request(`${API}/orders`));
    expect(response.status).toBe(401);
    expect(seen).toHaveLength(2);
  });

  it('does not retry a one-shot stream body', async () => {
    const { auth } = setup();
    const { fetch, seen } = api(() => true);
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('stream'));
        controller.close();
      },
    });
    const init = { method: 'POST', body, duplex: 'half' } as RequestInit;
    const response = await authFetch(auth, fetch)(`${API}/upload`, init);
    expect(response.status).toBe(401);
    expect(seen).toHaveLength(1);
  });

  it('heals a herd of 100 concurrent 401s with one token request', async () => {
    const { auth, provider } = setup();
    let revoked = false;
    const { fetch, seen } = api((a) => revoked && a === 'Bearer token-1');
    const send = authFetch(auth, fetch);
    await send(`${API}/warm`);
    revoked = true;
    const results = await Promise.all(Array.from({ length: 100 }, () => send(`${API}/orders`)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(provider.calls).toHaveLength(2);
    // Every request went out twice: once refused, once healed.
    expect(seen.filter((s) => s.authorization === 'Bearer token-1')).toHaveLength(101);
    expect(seen.filter((s) => s.authorization === 'Bearer token-2')).toHaveLength(100);
  });

  describe('with a token already cached (no Request of its own, no wait)', () => {
    async function warm(refuse: (authorization: string | null) => boolean) {
      const { auth, provider } = setup();
      const { fetch, seen } = api(refuse);
      const send = authFetch(auth, fetch);
      await auth.getToken();
      return { send, seen, provider };
    }

    it("keeps the caller's own headers and init, and adds the token", async () => {
      const { auth } = setup();
      await auth.getToken();
      const sent: Request[] = [];
      const send = authFetch(auth, async (input, init) => {
        sent.push(new Request(input, init));
        return new Response(null, { status: 204 });
      });
      const response = await send(new URL(`${API}/orders`), {
        method: 'PUT',
        headers: { 'x-trace': 'abc', authorization: 'Bearer mine' },
        body: 'data',
      });
      expect(response.status).toBe(204);
      const [request] = sent as [Request];
      expect(request.method).toBe('PUT');
      expect(request.headers.get('x-trace')).toBe('abc');
      expect(request.headers.get('authorization')).toBe('Bearer token-1');
      expect(await request.text()).toBe('data');
      await send(`${API}/plain`, { headers: { 'X-Trace': 'def' } });
      expect(sent[1]?.headers.get('x-trace')).toBe('def');
      expect(sent[1]?.headers.get('authorization')).toBe('Bearer token-1');
      await send(`${API}/instance`, { headers: new Headers({ 'x-trace': 'ghi' }) });
      expect(sent[2]?.headers.get('x-trace')).toBe('ghi');
      expect(sent[2]?.headers.get('authorization')).toBe('Bearer token-1');
    });

    it('heals a 401 once, sending the same body again with the fresh token', async () => {
      const { send, seen, provider } = await warm((a) => a === 'Bearer token-1');
      const body = new URLSearchParams({ a: '1' });
      const response = await send(`${API}/orders`, { method: 'POST', body });
      expect(response.status).toBe(200);
      expect(seen.map((s) => `${s.authorization} ${s.body}`)).toEqual([
        'Bearer token-1 a=1',
        'Bearer token-2 a=1',
      ]);
      expect(provider.calls).toHaveLength(2);
    });

    it('returns a 401 for a stream body as is, and a second 401 without a loop', async () => {
      const { send, seen } = await warm(() => true);
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('s'));
          controller.close();
        },
      });
      const init = { method: 'POST', body, duplex: 'half' } as RequestInit;
      expect((await send(`${API}/upload`, init)).status).toBe(401);
      expect(seen).toHaveLength(1);
      expect((await send(`${API}/again`)).status).toBe(401);
      expect(seen).toHaveLength(3);
    });

    it('sends other origins and relative URLs untouched', async () => {
      const { send, seen } = await warm(() => false);
      await send('https://api.example.com.evil.example/x');
      await expect(send('/relative')).rejects.toThrow(TypeError); // Node has no base URL
      expect(seen.map((s) => s.authorization)).toEqual([null]);
    });
  });
});
