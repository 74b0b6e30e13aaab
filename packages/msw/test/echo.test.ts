import { describe, expect, it } from 'vitest';
import { type EchoResponse, norceMock, oracleCommerceMock } from '../src/index.ts';
import { norceAccessToken, oracleAccessToken, useMsw } from './support.ts';

const msw = useMsw();

async function norceEcho(init: RequestInit & { headers?: Record<string, string> }) {
  const mock = norceMock();
  msw.use(mock);
  const token = await norceAccessToken(mock);
  const response = await fetch(`${mock.echoUrl}?page=2`, {
    ...init,
    headers: { ...init.headers, Authorization: `Bearer ${token}`, ApplicationId: '1234' },
  });
  expect(response.status).toBe(200);
  return { mock, echo: (await response.json()) as EchoResponse };
}

describe('echo endpoint', () => {
  it('echoes a JSON body, method, headers and query', async () => {
    const { echo, mock } = await norceEcho({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trace': 'abc' },
      body: JSON.stringify({ a: 1, b: ['ü'] }),
    });
    expect(echo).toMatchObject({
      method: 'POST',
      contentType: 'application/json',
      body: '{"a":1,"b":["ü"]}',
      search: '?page=2',
    });
    expect(echo.headers['x-trace']).toBe('abc');
    expect(echo.headers.applicationid).toBe('1234');
    expect(mock.control.apiRequests).toMatchObject([
      { method: 'POST', path: '/__authwire/echo', status: 200, tokenIndex: 0 },
    ]);
  });

  it('echoes a plain string with text/plain', async () => {
    const { echo } = await norceEcho({ method: 'PUT', body: 'hello world' });
    expect(echo).toMatchObject({ method: 'PUT', body: 'hello world' });
    expect(echo.contentType).toContain('text/plain');
  });

  it('echoes URLSearchParams as a form', async () => {
    const { echo } = await norceEcho({
      method: 'POST',
      body: new URLSearchParams({ q: 'a b', n: '1' }),
    });
    expect(echo.body).toBe('q=a+b&n=1');
    expect(echo.contentType).toContain('application/x-www-form-urlencoded');
  });

  it('echoes multipart FormData that parses back to the same fields', async () => {
    const form = new FormData();
    form.set('name', 'authwire');
    form.set('file', new Blob(['file-content'], { type: 'text/plain' }), 'a.txt');
    const { echo } = await norceEcho({ method: 'POST', body: form });
    expect(echo.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const parsed = await new Response(echo.body, {
      headers: { 'content-type': echo.contentType ?? '' },
    }).formData();
    expect(parsed.get('name')).toBe('authwire');
    const file = parsed.get('file') as File;
    expect(file.name).toBe('a.txt');
    expect(await file.text()).toBe('file-content');
  });

  it('echoes a Blob with its type and a binary ArrayBuffer byte for byte', async () => {
    const blob = await norceEcho({
      method: 'POST',
      body: new Blob(['<x/>'], { type: 'application/xml' }),
    });
    expect(blob.echo).toMatchObject({ contentType: 'application/xml', body: '<x/>' });

    const bytes = new Uint8Array([0, 1, 2, 0xfe, 0xff, 0x80]);
    const binary = await norceEcho({ method: 'POST', body: bytes.buffer });
    expect(binary.echo.bodyLength).toBe(6);
    expect(Buffer.from(binary.echo.bodyBase64, 'base64')).toEqual(Buffer.from(bytes));
  });

  it('echoes a GET with an empty body', async () => {
    const { echo } = await norceEcho({ method: 'GET' });
    expect(echo).toMatchObject({ method: 'GET', body: '', bodyLength: 0, contentType: null });
  });

  it('is protected like the services on both mocks', async () => {
    const norce = norceMock();
    msw.use(norce);
    expect((await fetch(norce.echoUrl, { method: 'POST', body: 'x' })).status).toBe(401);

    const oracle = oracleCommerceMock();
    msw.use(oracle);
    expect((await fetch(oracle.echoUrl, { method: 'POST' })).status).toBe(401);
    const token = await oracleAccessToken(oracle, 'ccagent');
    const response = await fetch(oracle.echoUrl, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"patched":true}',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ method: 'PATCH', body: '{"patched":true}' });
  });
});
