// Node's global fetch through a global dispatcher composed with authwire(): herds, 401s, origins, redirects.
import { NORCE_MOCK_DEFAULTS } from '@authwire/msw';
import * as undici7 from 'undici7';
import * as undici8 from 'undici8';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authwire, type Interceptor } from '../src/index.ts';
import { type EchoResponse, servedForeign, servedNorce, servedOracle } from './served.ts';

const LEGACY = Symbol.for('undici.globalDispatcher.1');
const CURRENT = Symbol.for('undici.globalDispatcher.2');
const slots = globalThis as unknown as Record<symbol, unknown>;
let saved: [unknown, unknown];
beforeEach(() => {
  saved = [slots[LEGACY], slots[CURRENT]];
});
afterEach(() => {
  [slots[LEGACY], slots[CURRENT]] = saved;
});

/** undici 7 hands Node's fetch the Agent itself (older handlers reach the interceptor); 8 a wrapper. */
const COPIES = [
  {
    name: 'undici 7',
    install: (interceptor: Interceptor) =>
      undici7.setGlobalDispatcher(new undici7.Agent().compose(interceptor)),
  },
  {
    name: 'undici 8',
    install: (interceptor: Interceptor) =>
      undici8.setGlobalDispatcher(new undici8.Agent().compose(interceptor)),
  },
];

const statuses = (responses: Response[]) => [...new Set(responses.map((r) => r.status))];

describe.each(COPIES)('global fetch on $name', ({ install }) => {
  it('sends a cold herd of 100 with one token request, preset headers included', async () => {
    const norce = await servedNorce();
    install(authwire(norce.auth));

    const responses = await Promise.all(Array.from({ length: 100 }, () => fetch(norce.echoUrl)));

    expect(statuses(responses)).toEqual([200]);
    const echo = (await responses[0]!.json()) as EchoResponse;
    expect(echo.headers.authorization).toMatch(/^Bearer /);
    expect(echo.headers.applicationid).toBe(String(NORCE_MOCK_DEFAULTS.applicationId));
    expect(norce.mock.control.counters.tokenEndpointCalls).toBe(1);
  });

  it('lets the manager’s own login through untouched (Oracle: app key as Bearer, same origin)', async () => {
    const oracle = await servedOracle();
    install(authwire(oracle.auth));

    const responses = await Promise.all(Array.from({ length: 100 }, () => fetch(oracle.apiUrl)));

    expect(statuses(responses)).toEqual([200]);
    expect(oracle.mock.control.counters.tokenEndpointCalls).toBe(1);
    expect(oracle.mock.control.apiRequests.map((r) => r.tokenIndex)).toEqual(
      Array.from({ length: 100 }, () => 0),
    );
  });

  it('heals a 401 herd of 100 with one refresh and answers every caller', async () => {
    const norce = await servedNorce();
    install(authwire(norce.auth));
    expect((await fetch(norce.apiUrl)).status).toBe(200);
    norce.mock.control.revokeAll();

    const responses = await Promise.all(Array.from({ length: 100 }, () => fetch(norce.apiUrl)));

    expect(statuses(responses)).toEqual([200]);
    expect(norce.mock.control.counters.tokenEndpointCalls).toBe(2);
  });

  it('sends nothing to another origin and asks for no token', async () => {
    const foreign = await servedForeign();
    const norce = await servedNorce();
    install(authwire(norce.auth));

    const answer = await (await fetch(`${foreign.origin}/probe`)).json();

    expect(answer).toEqual({ authorization: null, applicationid: null });
    expect(norce.mock.control.counters.tokenEndpointCalls).toBe(0);
  });

  it('carries neither the token nor ApplicationId across a redirect to another origin', async () => {
    const foreign = await servedForeign();
    const norce = await servedNorce(`${foreign.origin}/probe`);
    install(authwire(norce.auth));

    const response = await fetch(`${norce.origin}/moved`);

    expect(response.status).toBe(200);
    expect(foreign.seen).toEqual([{ authorization: null, applicationid: null }]);
  });

  it('retries a JSON POST after a 401 with the same body (fetch hands a one-shot stream)', async () => {
    const norce = await servedNorce();
    install(authwire(norce.auth));
    expect((await fetch(norce.apiUrl)).status).toBe(200);
    norce.mock.control.revokeAll();

    const response = await fetch(norce.echoUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order: 42 }),
    });

    expect(response.status).toBe(200);
    expect(JSON.parse(((await response.json()) as EchoResponse).body)).toEqual({ order: 42 });
    expect(norce.mock.control.counters.tokenEndpointCalls).toBe(2);
  });

  it('hands a 401 on a body over 1 MiB to the caller and says why', async () => {
    const norce = await servedNorce();
    install(authwire(norce.auth));
    expect((await fetch(norce.apiUrl)).status).toBe(200);
    norce.mock.control.revokeAll();
    const big = new Uint8Array(1024 * 1024 + 1);
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(big);
        controller.close();
      },
    });

    const response = await fetch(norce.echoUrl, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);

    expect(response.status).toBe(401);
    expect(norce.events).toContainEqual(
      expect.objectContaining({ type: 'unauthorized_surfaced', why: 'not_replayable' }),
    );
    expect(norce.mock.control.counters.tokenEndpointCalls).toBe(1);
  });

  it('streams a body over 1 MiB on, intact, after reading its first MiB', async () => {
    const norce = await servedNorce();
    install(authwire(norce.auth));
    const size = 3 * 1024 * 1024;
    const chunk = new Uint8Array(64 * 1024).fill(7);
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (sent >= size) return controller.close();
        controller.enqueue(chunk.slice());
        sent += chunk.length;
      },
    });

    const response = await fetch(norce.echoUrl, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);

    expect(response.status).toBe(200);
    expect(((await response.json()) as EchoResponse).bodyLength).toBe(size);
  });

  it('stops authorising once the interceptor is gone', async () => {
    const norce = await servedNorce();
    install(authwire(norce.auth));
    expect((await fetch(norce.apiUrl)).status).toBe(200);

    undici8.setGlobalDispatcher(new undici8.Agent());

    expect((await fetch(norce.apiUrl)).status).toBe(401);
  });
});
