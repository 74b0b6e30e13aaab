// A real HTTP server on a loopback port, closed when the test finishes.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Serves `handler` on 127.0.0.1 and resolves with its origin. Call it inside a test. */
export async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler).listen(0, '127.0.0.1');
  onTestFinished(() => {
    server.close();
  });
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * An origin that answers every request with a 302 to a second, foreign origin, and the headers each
 * request reaching the foreign origin carried (`seen`). Call it inside a test.
 */
export async function serveRedirectAway(): Promise<{
  origin: string;
  seen: Record<string, string | string[] | undefined>[];
}> {
  const seen: Record<string, string | string[] | undefined>[] = [];
  const foreign = await serve((req, res) => {
    seen.push({ ...req.headers });
    res.end('{}');
  });
  const origin = await serve((_req, res) => {
    res.writeHead(302, { location: `${foreign}/landed` });
    res.end();
  });
  return { origin, seen };
}
