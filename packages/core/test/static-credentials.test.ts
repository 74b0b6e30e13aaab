// staticCredentials(): fixed credential headers with the seam's origin scoping, redirect
// stripping and redaction, through authFetch and the request seam.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  authFetch,
  ClosedError,
  InsecureUrlError,
  InvalidOptionsError,
  type StaticCredentialsOptions,
  staticCredentials,
} from '../src/index.ts';
import { requestAuth } from '../src/kit.ts';

const KEY = 'vtexappkey-acme-ABCDEF';
const TOKEN = 'VTEX-APP-TOKEN-very-secret-value';
const ORIGIN = 'https://acme.vtexcommercestable.com.br';

function vtex(overrides: Partial<StaticCredentialsOptions> = {}) {
  return staticCredentials({
    headers: { 'X-VTEX-API-AppKey': KEY, 'X-VTEX-API-AppToken': TOKEN },
    origins: [ORIGIN],
    ...overrides,
  });
}

function recorder(status = 200) {
  const seen: Request[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    seen.push(new Request(input, init));
    return new Response(null, { status });
  };
  return { fetch, seen };
}

describe('staticCredentials()', () => {
  it('sends the fixed headers to its origins and nowhere else', async () => {
    const { fetch, seen } = recorder();
    const call = authFetch(vtex(), fetch);
    await call(`${ORIGIN}/api/catalog/pvt/product/1`);
    await call('https://elsewhere.example.com/api');
    await call(`${ORIGIN}.evil.example.com/api`);
    expect(seen[0]?.headers.get('x-vtex-api-appkey')).toBe(KEY);
    expect(seen[0]?.headers.get('x-vtex-api-apptoken')).toBe(TOKEN);
    for (const request of seen.slice(1)) {
      expect(request.headers.has('x-vtex-api-apptoken')).toBe(false);
      expect(request.headers.has('x-vtex-api-appkey')).toBe(false);
    }
  });

  it('hands a 401 to the caller once, without a retry (nothing to refresh)', async () => {
    const { fetch, seen } = recorder(401);
    const response = await authFetch(vtex(), fetch)(`${ORIGIN}/api/x`);
    expect(response.status).toBe(401);
    expect(seen).toHaveLength(1);
  });

  it('follows redirects itself so the headers never reach another origin (fetch keeps X-* headers)', async () => {
    const seen: Request[] = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push(request);
      if (seen.length === 1) {
        expect(request.redirect).toBe('manual');
        return new Response(null, {
          status: 307,
          headers: { Location: 'https://cdn.example.com/file' },
        });
      }
      if (seen.length === 2) {
        return new Response(null, { status: 302, headers: { Location: `${ORIGIN}/back` } });
      }
      return new Response('ok');
    };
    const response = await authFetch(vtex(), fetch)(`${ORIGIN}/api/x`, {
      method: 'PUT',
      body: 'payload',
    });
    expect(await response.text()).toBe('ok');
    expect(seen.map((r) => r.url)).toEqual([
      `${ORIGIN}/api/x`,
      'https://cdn.example.com/file',
      `${ORIGIN}/back`,
    ]);
    expect(seen[1]?.headers.has('x-vtex-api-apptoken')).toBe(false);
    expect(seen[1]?.method).toBe('PUT');
    expect(await seen[1]?.text()).toBe('payload');
    // Back on its own origin the headers would be welcome, but they were dropped on the way.
    expect(seen[2]?.headers.has('x-vtex-api-apptoken')).toBe(false);
  });

  it('strips its headers on a redirect away and redacts them', async () => {
    const seam = requestAuth(vtex());
    const sent = await seam.authorize({ url: `${ORIGIN}/api` });
    expect(sent).toEqual({
      'X-VTEX-API-AppKey': KEY,
      'X-VTEX-API-AppToken': TOKEN,
    });
    const away = new Headers(sent);
    seam.onRedirect('https://cdn.example.com/file', away);
    expect([...away.keys()]).toEqual([]);
    const home = new Headers(sent);
    seam.onRedirect(`${ORIGIN}/next`, home);
    expect([...home.keys()]).toEqual(['x-vtex-api-appkey', 'x-vtex-api-apptoken']);
    const headers = new Headers({ 'X-VTEX-API-AppToken': TOKEN, Accept: 'json' });
    seam.redact(headers);
    expect(headers.get('x-vtex-api-apptoken')).toBe('[redacted]');
    expect(headers.get('accept')).toBe('json');
  });

  it('carries a BigCommerce X-Auth-Token as its token', async () => {
    const auth = staticCredentials({
      headers: { 'X-Auth-Token': TOKEN },
      origins: ['https://api.bigcommerce.com'],
    });
    expect((await auth.getToken()).accessToken).toBe(TOKEN);
    const seam = requestAuth(auth);
    const sent = await seam.authorize({
      url: 'https://api.bigcommerce.com/stores/abc/v3/catalog/products',
    });
    expect(sent).toEqual({ 'X-Auth-Token': TOKEN });
    expect(seam.fetchWouldLeak(sent!)).toBe(true);
  });

  it('never shows a credential in its key, label, JSON or inspect output', () => {
    const auth = vtex();
    for (const text of [auth.key, auth.label, JSON.stringify(auth), inspect(auth, { depth: 5 })]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(KEY);
    }
    expect(auth.label).toBe('static acme.vtexcommercestable.com.br');
    expect(
      vtex({ headers: { 'X-VTEX-API-AppKey': KEY, 'X-VTEX-API-AppToken': 'other' } }).key,
    ).not.toBe(auth.key);
  });

  it('refuses plain http to a non-loopback origin', () => {
    expect(() => vtex({ origins: ['http://example.com'] })).toThrow(InsecureUrlError);
  });

  it('refuses calls after close()', async () => {
    const auth = vtex();
    await auth.close();
    await expect(auth.authorize(`${ORIGIN}/x`)).rejects.toBeInstanceOf(ClosedError);
    await expect(auth.getToken()).rejects.toBeInstanceOf(ClosedError);
  });

  it.each([
    ['headers', { headers: {} }],
    ['headers', { headers: { 'Bad Name': 'x' } }],
    ['headers', { headers: { 'X-Auth-Token': `a\r\nb` } }],
    ['headers', { headers: { 'x-a': '1', 'X-A': '2' } }],
    ['origins', { origins: [] }],
    ['hedaers', { hedaers: {} }],
  ])('rejects a bad %s with InvalidOptionsError, never echoing a value', (option, overrides) => {
    let error: unknown;
    try {
      vtex(overrides as Partial<StaticCredentialsOptions>);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe(option);
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });
});
