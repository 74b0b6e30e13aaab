// Token responses are read with a cap on decoded bytes: a gzip bomb or a huge JSON cannot grow the heap.
import { createGzip } from 'node:zlib';
import {
  clientCredentials,
  createTokenManager,
  InvalidTokenResponseError,
  type TokenManager,
} from '@authwire/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  assertNoSecrets,
  eventLog,
  type HostileServer,
  hostileServer,
  leakGuard,
  rejectionOf,
} from './support.ts';

leakGuard();
const SECRET = 'memory-Secret-31337';
const MB = 1024 * 1024;
/** Zeros behind the bomb: compressed to well under 1 MB, 256 MB once decoded. */
const BOMB_DECODED_BYTES = 256 * MB;

/** Gzip of `size` zero bytes, built chunk by chunk so the test itself never holds `size` bytes. */
async function gzipOfZeros(size: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => gzip.on('end', resolve));
  const zeros = Buffer.alloc(MB);
  for (let written = 0; written < size; written += zeros.length) {
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(chunks);
}

let bomb: Buffer;
let server: HostileServer;
let bodyBytesWritten = 0;
const managers: TokenManager[] = [];

beforeAll(async () => {
  bomb = await gzipOfZeros(BOMB_DECODED_BYTES);
  server = await hostileServer(async (req, res) => {
    if (req.url?.startsWith('/bomb')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
      return;
    }
    if (req.url?.startsWith('/fat')) {
      // A legitimate but fat answer (100 KB): refused by default, accepted with maxResponseBytes.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ access_token: server.issue(), expires_in: 60, pad: 'p'.repeat(100_000) }),
      );
      return;
    }
    // 50 MB of JSON, chunked (no Content-Length), written as fast as the client reads it.
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.from(`"${'a'.repeat(MB - 3)}",`);
    res.write('{"access_token":"x","expires_in":60,"pad":[');
    for (let i = 0; i < 50 && !res.destroyed; i++) {
      bodyBytesWritten += chunk.length;
      if (!res.write(chunk)) {
        await new Promise((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
    }
    res.end('""]}');
  });
}, 60_000);
afterAll(() => server.close());
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

function manager(path: string, maxResponseBytes?: number) {
  const log = eventLog();
  const auth = createTokenManager(
    clientCredentials({ tokenUrl: `${server.origin}${path}`, clientId: 'c', clientSecret: SECRET }),
    {
      origins: ['https://api.example.com'],
      onEvent: log.onEvent,
      maxAttempts: 1,
      ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
    },
  );
  managers.push(auth);
  return { auth, events: log.events };
}

describe('bounded token-response reads', () => {
  it(`a gzip bomb (${BOMB_DECODED_BYTES / MB} MB of zeros) is refused with peak RSS growth under 100 MB`, async () => {
    expect(bomb.length).toBeLessThan(4 * MB);
    const { auth, events } = manager('/bomb');
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      const { error, ms } = await rejectionOf(auth.getToken());
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(error).toBeInstanceOf(InvalidTokenResponseError);
      expect(error).toMatchObject({ code: 'response_too_large', limitBytes: 65_536 });
      expect(ms).toBeLessThan(5_000);
      assertNoSecrets([error, events, auth], [SECRET]);
    } finally {
      clearInterval(sampler);
    }
    expect((peak - before) / MB).toBeLessThan(100);
    expect(server.count('/bomb')).toBe(1);
  });

  it('50 MB of JSON is refused after the cap, and the stream is cancelled', async () => {
    bodyBytesWritten = 0;
    const { auth } = manager('/huge');
    const before = process.memoryUsage().rss;
    const { error, ms } = await rejectionOf(auth.getToken());
    expect(error).toMatchObject({ code: 'response_too_large' });
    expect(ms).toBeLessThan(5_000);
    expect((process.memoryUsage().rss - before) / MB).toBeLessThan(100);
    // Cancelled: the server could not push the whole 50 MB through.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bodyBytesWritten).toBeLessThan(50 * MB);
    expect(server.count('/huge')).toBe(1);
  });

  it('maxResponseBytes raises the cap for an endpoint that needs it; the default refuses', async () => {
    const refused = await rejectionOf(manager('/fat').auth.getToken());
    expect(refused.error).toMatchObject({ code: 'response_too_large', limitBytes: 65_536 });
    const token = await manager('/fat', 200_000).auth.getToken();
    expect(token.accessToken).toBe(server.issued.at(-1));
  });
});
