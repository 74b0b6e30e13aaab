// No MSW interception in this file: every request crosses a real loopback socket.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type EchoResponse,
  type HandlerSource,
  norceMock,
  oracleCommerceMock,
  type ServedMock,
  serveMock,
} from '../src/index.ts';
import { norceAccessToken, norceApi, norceToken, oracleAccessToken } from './support.ts';

const run = promisify(execFile);
const open: ServedMock<HandlerSource>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((served) => served.close()));
});

async function serve<T extends HandlerSource>(create: (baseUrl: string) => T) {
  const served = await serveMock(create);
  open.push(served);
  return served;
}

function serverHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPServerWrap').length;
}

describe('serveMock', () => {
  it('serves the Norce mock on the bound loopback origin', async () => {
    const served = await serve((baseUrl) => norceMock({ baseUrl }));
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.mock.tokenUrl).toBe(`${served.url}/identity/1.0/connect/token`);

    const token = await norceAccessToken(served.mock);
    const response = await norceApi(served.mock, '/commerce/product/1.1/ListProducts', token);
    expect(response.status).toBe(200);
    expect(served.mock.control.counters).toMatchObject({ tokenRequests: 1, apiCalls: 1 });
  });

  it('carries headers, status and OAuth errors over the wire', async () => {
    const served = await serve((baseUrl) => norceMock({ baseUrl }));
    const response = await norceToken(served.mock, { client_secret: 'wrong' });
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: 'invalid_client' });
  });

  it('delivers a multipart body intact to the echo endpoint', async () => {
    const served = await serve((baseUrl) => norceMock({ baseUrl }));
    const token = await norceAccessToken(served.mock);
    const form = new FormData();
    form.set('field', 'value');
    form.set('file', new Blob([new Uint8Array([0xff, 0x00, 0x41])]), 'b.bin');
    const response = await fetch(served.mock.echoUrl, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, ApplicationId: '1' },
      body: form,
    });
    const echo = (await response.json()) as EchoResponse;
    const parsed = await new Response(Buffer.from(echo.bodyBase64, 'base64'), {
      headers: { 'content-type': echo.contentType ?? '' },
    }).formData();
    expect(parsed.get('field')).toBe('value');
    const file = parsed.get('file') as File;
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(new Uint8Array([0xff, 0x00, 0x41]));
  });

  it('turns an injected network error into a dropped connection', async () => {
    const served = await serve((baseUrl) => oracleCommerceMock({ baseUrl }));
    served.mock.control.failNext(1, 'network-error');
    await expect(oracleAccessToken(served.mock)).rejects.toThrow();
    const token = await oracleAccessToken(served.mock);
    const orders = await fetch(`${served.url}/ccadmin/v1/orders`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(orders.status).toBe(200);
  });

  it('answers 404 no_mock_handler for unmatched requests', async () => {
    const served = await serve((baseUrl) => norceMock({ baseUrl }));
    const response = await fetch(`${served.url}/nowhere`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'no_mock_handler', method: 'GET' });
  });

  it('serves ready-made handlers on a chosen port', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const handlers = [
      http.get(`http://127.0.0.1:${port}/ping`, () => HttpResponse.json({ pong: true })),
    ];
    const served = await serveMock(handlers, { port });
    open.push(served);
    expect(served.url).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(`${served.url}/ping`)).json()).toEqual({ pong: true });
  });

  it('counts requests from several processes against one mock', async () => {
    const served = await serve((baseUrl) => norceMock({ baseUrl }));
    const script = `
      const body = new URLSearchParams(${JSON.stringify({
        grant_type: 'client_credentials',
        client_id: served.mock.clients[0]?.clientId,
        client_secret: served.mock.clients[0]?.clientSecret,
      })});
      fetch(${JSON.stringify(served.mock.tokenUrl)}, { method: 'POST', body })
        .then((r) => console.log(r.status));`;
    const outputs = await Promise.all(
      [1, 2, 3].map(() => run(process.execPath, ['-e', script], { timeout: 10_000 })),
    );
    expect(outputs.map((o) => o.stdout.trim())).toEqual(['200', '200', '200']);
    expect(served.mock.control.counters.tokensIssued).toBe(3);
  });

  it('close() drops in-flight requests instead of waiting for them', async () => {
    const served = await serveMock((baseUrl) => norceMock({ baseUrl }));
    served.mock.control.failNext(1, { delayMs: 3_000 });
    const pending = norceToken(served.mock);
    await vi.waitFor(() => expect(served.mock.control.counters.tokenRequests).toBe(1));
    await served.close();
    await expect(pending).rejects.toThrow();
    // Dropped, not awaited: the slow answer never went out.
    expect(served.mock.control.counters.tokensIssued).toBe(0);
  });

  it('close() stops listening and leaves no server handle', async () => {
    const before = serverHandles();
    const served = await serveMock((baseUrl) => norceMock({ baseUrl }));
    expect(serverHandles()).toBe(before + 1);
    await norceAccessToken(served.mock); // leaves a keep-alive connection open
    await served.close();
    expect(serverHandles()).toBe(before);
    await expect(fetch(served.mock.tokenUrl, { method: 'POST' })).rejects.toThrow();
    await vi.waitFor(() => {
      expect(process.getActiveResourcesInfo().filter((n) => n === 'TCPSocketWrap')).toEqual([]);
    });
  });
});
