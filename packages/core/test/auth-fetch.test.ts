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

describe('authFetch', () => {
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
});
