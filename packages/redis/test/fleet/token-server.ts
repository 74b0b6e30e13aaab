// A loopback OAuth2 token endpoint that counts requests: the fleet tests' "one fetch" witness.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface TokenServer {
  readonly url: string;
  /** Token requests answered so far. */
  readonly requests: () => number;
  close(): Promise<void>;
}

/** Answers every POST with a fresh token after `delayMs`, so concurrent callers overlap. */
export async function startTokenServer(delayMs = 100): Promise<TokenServer> {
  let requests = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            access_token: `fleet-${requests}-${randomUUID()}`,
            token_type: 'Bearer',
            expires_in: 3600,
          }),
        );
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('token server: no port');
  return {
    url: `http://127.0.0.1:${address.port}/oauth2/token`,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
