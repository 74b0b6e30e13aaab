// Loopback endpoints that fail below HTTP, one way each: a closed port, a server that resets, an untrusted certificate, a server that never answers.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

async function listen(server: Server, sockets?: Set<Socket>): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => {
    for (const socket of sockets ?? []) socket.destroy();
    server.close();
  });
  return (server.address() as { port: number }).port;
}

/** A loopback port nothing listens on (bound, then closed): connecting is refused. */
export async function closedPort(): Promise<string> {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return `http://127.0.0.1:${port}`;
}

/** A server that accepts the connection and resets it (TCP RST) once the request arrives. */
export async function resettingServer(): Promise<string> {
  const server = createNetServer((socket) => {
    socket.once('data', () => socket.resetAndDestroy());
  });
  return `http://127.0.0.1:${await listen(server)}`;
}

/**
 * An https server on loopback with a self-signed certificate (for 127.0.0.1 and localhost, valid
 * to 2126), which no client trusts. It would answer 200 to anyone who did.
 */
export async function selfSignedServer(): Promise<string> {
  const server = createHttpsServer(
    { key: fixture('self-signed-key.pem'), cert: fixture('self-signed-cert.pem') },
    (_req, res) => res.end('{}'),
  );
  return `https://127.0.0.1:${await listen(server)}`;
}

/** A server that reads the request and never answers (a hung identity server); counts requests. */
export async function hungServer(): Promise<{ origin: string; requests: () => number }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => {
      requests++;
    });
    socket.on('error', () => {});
  });
  const port = await listen(server, sockets);
  return { origin: `http://127.0.0.1:${port}`, requests: () => requests };
}

/** A host name that never resolves (RFC 6761 reserves `.invalid`). */
export const UNRESOLVABLE_HOST = 'authwire-test.invalid';
