import type { TokenManager } from '@authwire/core';
import { REDACTED } from '@authwire/core/kit';
import { serve, serveRedirectAway, stubManager } from '@authwire/test-support';
import got, { type HTTPError } from 'got';
import { describe, expect, it } from 'vitest';
import { authHooks, withAuth } from '../src/index.ts';

/** A manager handing out tok-1, tok-2, … with an extra ApplicationId header. */
const manager = (origin: string): TokenManager =>
  stubManager(origin, { headers: { ApplicationId: '7' } });

describe('retry', () => {
  it('replays a FormData upload the server refused before reading it', async () => {
    const origin = await serve((req, res) => {
      if (req.headers.authorization === 'Bearer tok-1') {
        res.writeHead(401);
        res.end();
        return;
      }
      let length = 0;
      req.on('data', (chunk: Buffer) => {
        length += chunk.length;
      });
      req.on('end', () => res.end(JSON.stringify({ length })));
    });
    const form = new FormData();
    form.append('file', new Blob(['x'.repeat(200_000)]), 'big.txt');
    const client = withAuth(got, manager(origin));
    const body = await client.post(`${origin}/upload`, { body: form }).json<{ length: number }>();
    expect(body.length).toBeGreaterThan(200_000);
  });

  it("heals at once under got's default retry settings (no back-off)", async () => {
    const seen: (string | undefined)[] = [];
    const origin = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(req.headers.authorization === 'Bearer tok-1' ? 401 : 200);
      res.end('{}');
    });
    // got reports the delay it will wait through calculateDelay: 1 ms for a forced retry,
    // against ≥ 1 s of back-off for its own retries.
    const delays: number[] = [];
    const client = got.extend({
      hooks: authHooks(manager(origin)),
      retry: {
        calculateDelay: ({ computedValue }) => {
          delays.push(computedValue);
          return computedValue;
        },
      },
    });
    expect((await client.get(`${origin}/a`)).statusCode).toBe(200);
    expect(delays).toEqual([1]);
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });
});

describe('redirects and errors', () => {
  it('drops the extra headers when a redirect leaves the origin', async () => {
    const { origin, seen } = await serveRedirectAway();
    await withAuth(got, manager(origin)).get(`${origin}/moved`);
    expect(seen.map((h) => [h.authorization, h.applicationid])).toEqual([[undefined, undefined]]);
  });

  // got follows redirects itself: its beforeRedirect hook strips a token header other than
  // Authorization (Shopify's) and the headers beside it, as it does Authorization.
  it('drops a token header other than Authorization when a redirect leaves the origin', async () => {
    const { origin, seen } = await serveRedirectAway();
    const auth = stubManager(origin, {
      tokenHeader: 'X-Shop-Token',
      headers: { 'X-Shop-Key': 'shop-key-7' },
    });
    await withAuth(got, auth).get(`${origin}/moved`);
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(seen)).not.toMatch(/x-shop|tok-|shop-key/i);
  });

  it('redacts what it attached in the HTTPError of a second 401', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(401);
      res.end();
    });
    const client = withAuth(got, manager(origin));
    const error = (await client.get(`${origin}/a`).catch((e: unknown) => e)) as HTTPError;
    expect(error.response.statusCode).toBe(401);
    expect(error.options.headers.authorization).toBe(REDACTED);
    expect(error.options.headers.applicationid).toBe(REDACTED);
  });
});
