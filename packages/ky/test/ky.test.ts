import type { TokenManager } from '@authwire/core';
import { REDACTED } from '@authwire/core/kit';
import { receiverChecked, serveRedirectAway, stubManager } from '@authwire/test-support';
import ky, { type Hooks, type HTTPError } from 'ky';
import { describe, expect, it } from 'vitest';
import { authHooks, withAuth } from '../src/index.ts';

const ORIGIN = 'https://api.example.com';
/** A manager handing out tok-1, tok-2, … */
const manager = (): TokenManager => stubManager(ORIGIN);

/** An injected fetch: 401 for tok-1 (or always), echo of the Authorization otherwise. */
function api(always401 = false) {
  const seen: (string | null)[] = [];
  // ky always hands its fetch a Request.
  const fetch = async (input: string | URL | Request): Promise<Response> => {
    const authorization = (input as Request).headers.get('authorization');
    seen.push(authorization);
    const status = always401 || authorization === 'Bearer tok-1' ? 401 : 200;
    return Response.json({ authorization }, { status });
  };
  return { fetch, seen };
}

describe('authHooks', () => {
  it("never calls the instance's fetch with the wrong `this` (workerd checks it)", async () => {
    const { fetch, seen } = api();
    const client = withAuth(ky.create({ fetch: receiverChecked(fetch), retry: 0 }), manager());
    expect(await client.post(`${ORIGIN}/a`, { body: 'x' }).json()).toEqual({
      authorization: 'Bearer tok-2',
    });
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it("merges the user's hooks, with its own hooks around them", async () => {
    const calls: string[] = [];
    const user: Hooks = {
      beforeRequest: [() => void calls.push('user beforeRequest')],
      afterResponse: [({ response }) => void calls.push(`user afterResponse ${response.status}`)],
    };
    const { fetch } = api();
    const client = ky.create({ fetch, hooks: authHooks(manager(), user) });
    expect(await client.get(`${ORIGIN}/a`).json()).toEqual({ authorization: 'Bearer tok-2' });
    expect(calls).toEqual(['user beforeRequest', 'user afterResponse 200']);
  });

  it("heals through the instance's custom fetch, with no back-off under ky's default retry", async () => {
    const { fetch, seen } = api();
    // ky's back-off only runs through its own retry; the adapter re-sends without it.
    let kyRetries = 0;
    const client = withAuth(
      ky.create({ fetch, hooks: { beforeRetry: [() => void kyRetries++] } }),
      manager(),
    );
    await client.get(`${ORIGIN}/a`);
    expect(kyRetries).toBe(0);
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('speaks ky 1 hooks too (positional arguments): beforeRequest answers with the healed response', async () => {
    const { fetch, seen } = api();
    const hooks = authHooks(manager());
    const request = new Request(`${ORIGIN}/a`, { method: 'POST', body: 'payload' });
    const options = { body: 'payload', context: {}, fetch, signal: new AbortController().signal };
    type Positional = (...args: unknown[]) => Promise<Response | undefined>;
    const healed = await (hooks.beforeRequest![0] as unknown as Positional)(request, options);
    expect(healed?.status).toBe(200);
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('redacts the token in the HTTPError of a second 401', async () => {
    const { fetch, seen } = api(true);
    const client = withAuth(ky.create({ fetch, retry: 0 }), manager());
    const error = (await client.get(`${ORIGIN}/a`).catch((e: unknown) => e)) as HTTPError;
    expect(error.response.status).toBe(401);
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(error.request.headers.get('authorization')).toBe(REDACTED);
  });
});

describe('redirects', () => {
  // ky sends through fetch, which drops only Authorization on a cross-origin redirect: the seam
  // follows the redirects itself when a token header other than Authorization, or one beside it, is set.
  it.each([
    ['a token header other than Authorization', { tokenHeader: 'X-Shop-Token' }],
    ['an extra header beside Authorization', { headers: { ApplicationId: 'app-key-7' } }],
  ])('keeps %s on its origin (real servers)', async (_, options) => {
    const { origin, seen } = await serveRedirectAway();
    await withAuth(ky.create({ retry: 0 }), stubManager(origin, options)).get(`${origin}/moved`);
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(seen)).not.toMatch(/x-shop|applicationid|tok-|app-key/i);
  });
});
