// The request seam, by behaviour: which token a 401 was sent with (whatever header carried it), the
// replay rule, the one retry and the second-401 report, redirects and redaction, and what a DPoP or
// Shopify-like provider needs of it.
import { describe, expect, it } from 'vitest';
import {
  createTokenManager,
  memoryStore,
  type TokenEvent,
  type TokenManager,
  type TokenProvider,
} from '../src/index.ts';
import { requestAuth, systemClock } from '../src/kit.ts';
import { fakeProvider } from './fake-provider.ts';

const URL = 'https://api.example.com/orders';
const FOREIGN = 'https://elsewhere.example.com/x';

function manager(extra: Partial<TokenProvider> = {}): { auth: TokenManager; events: TokenEvent[] } {
  const events: TokenEvent[] = [];
  const auth = createTokenManager(
    { ...fakeProvider(), ...extra },
    { store: memoryStore(), onEvent: (event) => events.push(event) },
  );
  return { auth, events };
}

const surfaced = (events: TokenEvent[]) =>
  events.flatMap((event) => (event.type === 'unauthorized_surfaced' ? [event.why] : []));

describe('RequestAuth', () => {
  it('knows the last four tokens it handed out, across token rotations', async () => {
    const { auth, events } = manager();
    const seam = requestAuth(auth);
    const sent: Record<string, string>[] = [];
    for (let i = 0; i < 6; i++) {
      await auth.getToken({ forceRefresh: true });
      sent.push({ ...(await seam.authorize({ url: URL })) });
    }
    expect(new Set(sent.map((headers) => headers.Authorization)).size).toBe(6);
    // A 401 from a foreign origin is reported for our tokens only (and heals nothing).
    for (const headers of sent) {
      expect(await seam.onResponse({ url: URL, headers }, { status: 401, url: FOREIGN })).toBe(
        undefined,
      );
    }
    expect(surfaced(events)).toEqual(Array(4).fill('foreign_origin'));
    await auth.close();
  });

  it('heals a 401 once per call with a fresh token, and reports the second one', async () => {
    const { auth, events } = manager();
    const seam = requestAuth(auth);
    const request = { method: 'POST', url: URL, headers: {} as Record<string, string>, body: '{}' };
    Object.assign(request.headers, await seam.authorize(request));
    const retry = await seam.onResponse(request, { status: 401 });
    expect(retry?.headers.Authorization).not.toBe(request.headers.Authorization);
    Object.assign(request.headers, retry?.headers);
    expect(await seam.onResponse(request, { status: 401 })).toBeUndefined();
    expect(await seam.onResponse(request, { status: 200 })).toBeUndefined();
    expect(surfaced(events)).toEqual(['retried']);
    await auth.close();
  });

  it('does not retry a one-shot body, nor a request that carried none of its tokens', async () => {
    const { auth, events } = manager();
    const seam = requestAuth(auth);
    const headers = { ...(await seam.authorize({ url: URL })) };
    const stream = new ReadableStream();
    expect(await seam.onResponse({ url: URL, headers, body: stream }, { status: 401 })).toBe(
      undefined,
    );
    const other = { Authorization: 'Bearer someone-else' };
    expect(await seam.onResponse({ url: URL, headers: other }, { status: 401 })).toBeUndefined();
    expect(surfaced(events)).toEqual(['not_replayable', 'no_token']);
    await auth.close();
  });

  it('copies a fetch Request before it is sent, and hands the copy back with fresh headers', async () => {
    const { auth } = manager();
    const seam = requestAuth(auth);
    const original = new Request(URL, { method: 'POST', body: 'payload' });
    const request = { url: URL, headers: original.headers, fetchRequest: original };
    const headers = await seam.authorize(request);
    for (const [name, value] of Object.entries(headers ?? {})) original.headers.set(name, value);
    await original.text(); // sent: its body is gone
    const retry = await seam.onResponse(request, { status: 401 });
    expect(await retry?.request?.text()).toBe('payload');
    expect(retry?.request?.headers.get('authorization')).toBe(retry?.headers.Authorization);
    await auth.close();
  });

  it('strips every header it handed out on a redirect elsewhere, and redacts them', async () => {
    const plain = requestAuth(manager().auth);
    const norceLike = requestAuth(manager({ headers: () => ({ ApplicationId: '7' }) }).auth);
    const sent = () => ({ ApplicationId: '7', Authorization: 'x', Other: 'y' });
    const before = sent();
    plain.onRedirect(FOREIGN, before);
    expect(before).toEqual(sent()); // nothing handed out yet
    await plain.authorize({ url: URL });
    await norceLike.authorize({ url: URL });
    const redirected = { plain: sent(), norce: sent(), same: sent() };
    plain.onRedirect(FOREIGN, redirected.plain);
    norceLike.onRedirect(FOREIGN, redirected.norce);
    norceLike.onRedirect('https://api.example.com/next', redirected.same);
    expect(redirected).toEqual({
      plain: { ApplicationId: '7', Other: 'y' },
      norce: { Other: 'y' },
      same: sent(),
    });
    const headers = new Headers(sent());
    norceLike.onRedirect(FOREIGN, headers);
    expect([...headers.keys()]).toEqual(['other']);
    const record: Record<string, unknown> = sent();
    norceLike.redact(record);
    expect(record).toEqual({
      ApplicationId: '[redacted]',
      Authorization: '[redacted]',
      Other: 'y',
    });
    await plain.manager.close();
    await norceLike.manager.close();
  });

  it('finds the token in whatever header the provider sends it (X-Shopify-Access-Token)', async () => {
    const { auth } = manager({ tokenHeader: 'X-Shopify-Access-Token' });
    const seam = requestAuth(auth);
    const headers = { ...(await seam.authorize({ url: URL })) };
    expect(Object.keys(headers)).toEqual(['X-Shopify-Access-Token']);
    const retry = await seam.onResponse({ url: URL, headers }, { status: 401 });
    expect(retry?.headers['X-Shopify-Access-Token']).toMatch(/./);
    expect(retry?.headers['X-Shopify-Access-Token']).not.toBe(headers['X-Shopify-Access-Token']);
    await auth.close();
  });

  it('carries a per-request proof, and heals a nonce challenge with a new proof, not a new token', async () => {
    let nonce = 'n0';
    const provider = fakeProvider();
    const { auth } = manager({
      ...provider,
      requestHeaders: (token, { method, url }) => ({
        DPoP: `${method} ${url} ${token.accessToken} ${nonce}`,
      }),
      challenged: (_token, challenge) => {
        const next = challenge.headers('DPoP-Nonce');
        if (next === undefined) return false;
        nonce = next;
        return true;
      },
    });
    const seam = requestAuth(auth);
    const request = { method: 'POST', url: URL, headers: {} as Record<string, string>, body: 'x' };
    Object.assign(request.headers, await seam.authorize(request));
    expect(request.headers.DPoP).toMatch(/^POST https:\/\/api\.example\.com\/orders .+ n0$/);
    const challenge = new Headers({ 'DPoP-Nonce': 'n1' });
    const retry = await seam.onResponse(request, { status: 401, headers: challenge });
    expect(retry?.headers.Authorization).toBe(request.headers.Authorization); // same token
    expect(retry?.headers.DPoP).toMatch(/ n1$/);
    expect(provider.calls).toHaveLength(1);
    await auth.close();
  });
});

describe('the cached path (seam.cached) and its memo of the last allowed URL', () => {
  it("never lends an allowed URL's verdict to another origin or URL", async () => {
    const { auth } = manager();
    const seam = requestAuth(auth);
    await auth.getToken();
    expect(seam.cached({ url: URL })?.Authorization).toMatch(/^Bearer /);
    const others = [
      FOREIGN,
      'http://api.example.com/orders',
      'https://api.example.com.evil.example/orders',
      'https://api.example.com:444/orders',
      'https://api.example.com@evil.example/orders',
      'https://evil.example/https://api.example.com/orders',
      `${URL}`.replace('api.', 'apí.'),
    ];
    for (const url of others) {
      expect(seam.cached({ url })).toBeUndefined();
      expect(await seam.authorize({ url })).toBeUndefined();
      expect(seam.allows(url)).toBe(false);
      // The allowed URL between two foreign ones is still allowed, and the foreign one still not.
      expect(seam.cached({ url: URL })?.Authorization).toMatch(/^Bearer /);
      expect(seam.allows(url)).toBe(false);
    }
    await auth.close();
  });

  it('checks the same URL string again against a manager whose origins changed', async () => {
    const { auth } = manager();
    const seam = requestAuth(auth);
    await auth.getToken();
    expect(seam.cached({ url: URL })).toBeDefined();
    Object.defineProperty(auth, 'origins', { value: Object.freeze(['https://other.example']) });
    expect(seam.allows(URL)).toBe(false);
    expect(seam.cached({ url: URL })).toBeUndefined();
    // A list that is not frozen is never remembered: each call reads it.
    const origins = ['https://api.example.com'];
    Object.defineProperty(auth, 'origins', { value: origins });
    expect(seam.allows(URL)).toBe(true);
    origins.pop();
    expect(seam.allows(URL)).toBe(false);
    await auth.close();
  });

  it('hands out no token after it was invalidated, past its expiry, nor after close', async () => {
    let skew = 0;
    const clock = { ...systemClock, now: () => Date.now() + skew };
    const auth = createTokenManager(fakeProvider(), { store: memoryStore(), clock });
    const seam = requestAuth(auth);
    const token = await auth.getToken();
    expect(seam.cached({ url: URL })?.Authorization).toBe(`Bearer ${token.accessToken}`);
    await auth.invalidate(token);
    expect(seam.cached({ url: URL })).toBeUndefined();
    const next = await auth.getToken();
    expect(seam.cached({ url: URL })?.Authorization).toBe(`Bearer ${next.accessToken}`);
    skew = next.expiresAt - Date.now();
    expect(seam.cached({ url: URL })).toBeUndefined();
    skew = 0;
    expect(seam.cached({ url: URL })?.Authorization).toBe(`Bearer ${next.accessToken}`);
    await auth.close();
    expect(seam.cached({ url: URL })).toBeUndefined();
  });
});

describe('a TokenManager not made by createTokenManager', () => {
  it('gets the documented public behaviour only: authorize, reauthorize, its origins', async () => {
    const token = { accessToken: 'mine', tokenType: 'Bearer', issuedAt: 0, expiresAt: 1 };
    const calls: string[] = [];
    const authorization = (accessToken: string) => ({
      token: { ...token, accessToken },
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    const foreign: TokenManager = {
      key: 'foreign',
      label: 'foreign',
      origins: ['https://api.example.com'],
      getToken: async () => token,
      invalidate: async () => {},
      authorize: async (url) => {
        calls.push(`authorize ${url}`);
        return authorization('mine');
      },
      reauthorize: async (url) => {
        calls.push(`reauthorize ${url}`);
        return authorization('fresh');
      },
      subscribe: () => () => {},
      close: async () => {},
    };
    const seam = requestAuth(foreign);
    const headers = { ...(await seam.authorize({ url: URL })) };
    expect(await seam.authorize({ url: FOREIGN })).toEqual(authorization('mine').headers);
    const retry = await seam.onResponse({ url: URL, headers }, { status: 401 });
    expect(retry?.headers).toEqual({ Authorization: 'Bearer fresh' });
    // A 401 from elsewhere is not healed (and a foreign manager has no events to report it on).
    expect(await seam.onResponse({ url: URL, headers }, { status: 401, url: FOREIGN })).toBe(
      undefined,
    );
    expect(calls).toEqual([`authorize ${URL}`, `authorize ${FOREIGN}`, `reauthorize ${URL}`]);
  });
});

describe('provider hooks the seam relies on', () => {
  it('refuses a tokenHeader that is not a header name, and hooks that are not functions', () => {
    const bad = [
      { tokenHeader: 'X Bad' },
      { tokenHeader: 42 },
      { requestHeaders: 'proof' },
      { challenged: true },
    ];
    for (const extra of bad) {
      expect(() =>
        createTokenManager({ ...fakeProvider(), ...(extra as object) }, { store: memoryStore() }),
      ).toThrow(/provider\.(tokenHeader|requestHeaders|challenged)/);
    }
  });
});
