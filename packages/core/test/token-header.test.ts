// A provider whose token travels in a header of its own (Shopify's X-Shopify-Access-Token): the
// seam attaches, heals, strips and redacts that header the way it does Authorization.
import { describe, expect, it } from 'vitest';
import {
  authFetch,
  createTokenManager,
  InvalidOptionsError,
  memoryStore,
  type TokenEvent,
  type TokenProvider,
} from '../src/index.ts';
import { requestAuth } from '../src/kit.ts';
import { fakeProvider } from './fake-provider.ts';

const API = 'https://api.example.com';
const HEADER = 'X-Shopify-Access-Token';

function shopifyLike(events: TokenEvent[] = []) {
  const provider: TokenProvider = { ...fakeProvider(), tokenHeader: HEADER };
  return createTokenManager(provider, { store: memoryStore(), onEvent: (e) => events.push(e) });
}

/** An API that accepts only the newest token, in the custom header, and never reads Authorization. */
function api(valid: () => string) {
  const seen: Headers[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request.headers);
    const ok = request.headers.get(HEADER) === valid();
    return new Response(ok ? '{}' : null, { status: ok ? 200 : 401 });
  };
  return { fetch, seen };
}

describe('a provider tokenHeader', () => {
  it('sends the bare token in that header and no Authorization', async () => {
    const auth = shopifyLike();
    const authorization = await auth.authorize(`${API}/admin`);
    expect(authorization?.headers).toEqual({ [HEADER]: 'token-1' });
    await auth.close();
  });

  it('heals a 401 once: the seam knows the token by the custom header', async () => {
    const auth = shopifyLike();
    await auth.getToken();
    let current = 'token-1';
    const { fetch, seen } = api(() => current);
    const call = authFetch(auth, fetch);
    expect((await call(`${API}/admin/shop.json`)).status).toBe(200);
    current = 'token-2'; // the shop revoked token-1
    const healed = await call(`${API}/admin/shop.json`);
    expect(healed.status).toBe(200);
    expect(seen.map((h) => h.get(HEADER))).toEqual(['token-1', 'token-1', 'token-2']);
    expect(seen.every((h) => !h.has('authorization'))).toBe(true);
    await auth.close();
  });

  it('surfaces a second 401 instead of looping', async () => {
    const events: TokenEvent[] = [];
    const auth = shopifyLike(events);
    const { fetch, seen } = api(() => 'never');
    const response = await authFetch(auth, fetch)(`${API}/admin/shop.json`);
    expect(response.status).toBe(401);
    expect(seen).toHaveLength(2);
    expect(events.filter((e) => e.type === 'unauthorized_surfaced')).toHaveLength(1);
    await auth.close();
  });

  it('strips and redacts the custom header like Authorization', async () => {
    const auth = shopifyLike();
    const seam = requestAuth(auth);
    await auth.getToken();
    const sent = await seam.authorize({ url: `${API}/x` });
    expect(seam.fetchWouldLeak(sent!)).toBe(true);
    const kept = new Headers({ [HEADER]: 'token-1', Accept: 'json' });
    seam.onRedirect(`${API}/y`, kept);
    expect(kept.get(HEADER)).toBe('token-1');
    const away = new Headers({ [HEADER]: 'token-1', Accept: 'json' });
    seam.onRedirect('https://elsewhere.example.com/', away);
    expect([...away.keys()]).toEqual(['accept']);
    const headers: Record<string, unknown> = { [HEADER]: 'token-1', Accept: 'json' };
    seam.redact(headers);
    expect(headers).toEqual({ [HEADER]: '[redacted]', Accept: 'json' });
    await auth.close();
  });

  it('keeps Authorization as the default token header', async () => {
    const auth = createTokenManager(fakeProvider(), { store: memoryStore() });
    const seam = requestAuth(auth);
    const headers = await seam.authorize({ url: `${API}/x` });
    expect(headers).toEqual({ Authorization: 'Bearer token-1' });
    // fetch drops Authorization on a cross-origin redirect itself.
    expect(seam.fetchWouldLeak(headers!)).toBe(false);
    await auth.close();
  });

  it.each(['', 'X Token', 'X-Token:', 42])('refuses tokenHeader %j', (tokenHeader) => {
    const provider = { ...fakeProvider(), tokenHeader } as unknown as TokenProvider;
    expect(() => createTokenManager(provider, { store: memoryStore() })).toThrow(
      InvalidOptionsError,
    );
  });
});
