// A loopback identity server with one scheduled outage: a Norce-style token endpoint, Oracle-style login and /refresh, and an API that checks tokens.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The endpoint an outage hits: Norce's token endpoint, or Oracle's `/refresh` (its login keeps working). */
export type OutageTarget = 'norce-token' | 'oracle-refresh';

export interface OutageSchedule {
  readonly target: OutageTarget;
  /** Window in ms after `start()`, answered with `status`. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly status: 500 | 502 | 503;
}

/** One request that reached a token-issuing endpoint. */
export interface TokenCall {
  readonly kind: 'norce-token' | 'oracle-login' | 'oracle-refresh';
  /** ms after `start()`. */
  readonly at: number;
  readonly status: number;
}

export interface OutageServer {
  readonly origin: string;
  readonly calls: readonly TokenCall[];
  /** API answers by status. */
  readonly api: { ok: number; unauthorized: number };
  /** Starts the schedule's clock at `epochMs` (the moment the fleet is released). */
  start(epochMs: number): void;
  close(): Promise<void>;
}

interface Issued {
  readonly expiresAt: number;
  revoked: boolean;
}

/** Starts the server on 127.0.0.1; tokens live `lifetimeS` seconds; Oracle's /refresh revokes the token it replaces. */
export async function startOutageServer(
  schedule: OutageSchedule,
  lifetimeS: number,
): Promise<OutageServer> {
  const tokens = new Map<string, Issued>();
  const calls: TokenCall[] = [];
  const api = { ok: 0, unauthorized: 0 };
  let t0 = Number.POSITIVE_INFINITY;
  const sinceStart = () => Date.now() - t0;
  const down = (target: OutageTarget): boolean => {
    const at = sinceStart();
    return schedule.target === target && at >= schedule.fromMs && at < schedule.toMs;
  };
  const issue = (response: ServerResponse, tokenType: string): void => {
    const accessToken = randomBytes(16).toString('hex');
    tokens.set(accessToken, { expiresAt: Date.now() + lifetimeS * 1000, revoked: false });
    json(response, 200, {
      access_token: accessToken,
      token_type: tokenType,
      expires_in: lifetimeS,
    });
  };
  const bearer = (request: IncomingMessage): Issued | undefined => {
    const match = /^bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const token = match?.[1] === undefined ? undefined : tokens.get(match[1]);
    return token && !token.revoked && Date.now() < token.expiresAt ? token : undefined;
  };
  const record = (kind: TokenCall['kind'], status: number): number => {
    calls.push({ kind, at: sinceStart(), status });
    return status;
  };

  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (path === '/identity/token') {
        if (down('norce-token')) return fail(response, record('norce-token', schedule.status));
        record('norce-token', 200);
        return issue(response, 'Bearer');
      }
      if (path === '/ccadmin/v1/login') {
        record('oracle-login', 200);
        return issue(response, 'bearer');
      }
      if (path === '/ccadmin/v1/refresh') {
        if (down('oracle-refresh'))
          return fail(response, record('oracle-refresh', schedule.status));
        const current = bearer(request);
        if (!current) return json(response, record('oracle-refresh', 401), { status: '401' });
        record('oracle-refresh', 200);
        current.revoked = true;
        return issue(response, 'bearer');
      }
      if (bearer(request)) {
        api.ok += 1;
        return json(response, 200, { ok: true });
      }
      api.unauthorized += 1;
      return json(response, 401, { message: 'Unauthorized', status: '401' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    calls,
    api,
    start(epochMs) {
      t0 = epochMs;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function fail(response: ServerResponse, status: number): void {
  response.writeHead(status, { 'content-type': 'text/plain' });
  response.end('unavailable');
}
