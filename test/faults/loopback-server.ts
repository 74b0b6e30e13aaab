// A raw node:http token endpoint + API for faults MSW cannot make: resets mid-body, trickles, hangs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { makeFakeJwt } from '@authwire/msw';

/** What the token endpoint does with one request. */
export type Behaviour =
  /** Issues a token; `body` shapes the JSON around it (default: JWT + expires_in 3600). */
  | {
      readonly kind: 'token';
      readonly body?: (accessToken: string) => unknown;
      readonly opaque?: boolean;
    }
  /** Issues a JWT with exactly these claims (times in seconds on the server's clock). */
  | { readonly kind: 'jwt'; readonly claims: Record<string, unknown>; readonly expiresIn?: unknown }
  /** 200 with this `access_token` value (recorded as issued when a string) and extra fields. */
  | {
      readonly kind: 'literal';
      readonly accessToken: unknown;
      readonly extra?: Record<string, unknown>;
    }
  /** Any status, headers and raw body. */
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly headers?: Record<string, string>;
      readonly body?: string;
    }
  /** 400 `invalid_request` whose description quotes the raw request body and Authorization header. */
  | { readonly kind: 'echo' }
  /** Accepts the request and never answers. */
  | { readonly kind: 'hang' }
  /** Sends the status line and headers, then nothing. */
  | { readonly kind: 'headers-then-silence' }
  /** Destroys the socket before any answer. */
  | { readonly kind: 'reset-before-headers' }
  /** Sends headers and part of a token body, then destroys the socket. */
  | { readonly kind: 'reset-mid-body' }
  /** Sends a valid token body one byte at a time, `intervalMs` apart. */
  | { readonly kind: 'trickle'; readonly intervalMs: number; readonly chunk?: number };

export interface LoopbackServer {
  readonly origin: string;
  readonly tokenUrl: string;
  readonly apiUrl: string;
  /** Every access token issued (for leak checks). */
  readonly issued: string[];
  /** Requests that reached the token endpoint. */
  readonly tokenCalls: number;
  /** Most token requests ever open at once. */
  readonly maxInFlight: number;
  /** API requests and the status they got. */
  readonly apiStatuses: number[];
  /** The next token requests get these behaviours, in order; then `fallback`. */
  script(behaviours: readonly Behaviour[], fallback?: Behaviour): void;
  /** Forgets tokens, counters and the script; ends open connections. */
  reset(): void;
  close(): Promise<void>;
}

const GOOD: Behaviour = { kind: 'token' };

export async function loopbackServer(): Promise<LoopbackServer> {
  let queue: Behaviour[] = [];
  let fallback: Behaviour = GOOD;
  const issued: string[] = [];
  const apiStatuses: number[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let tokenCalls = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let serial = 0;
  // Connections of an earlier test close late: they must not count against the current one.
  let generation = 0;

  const issue = (opaque = false): string => {
    const now = Math.floor(Date.now() / 1000);
    serial += 1;
    const token = opaque
      ? `opaque-${serial}-${Math.random().toString(36).slice(2)}`
      : makeFakeJwt({ iat: now, exp: now + 3600, jti: `t${serial}`, sub: 'loopback' });
    issued.push(token);
    return token;
  };

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const token = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    tokenCalls += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const born = generation;
    res.on('close', () => {
      if (born === generation) inFlight -= 1;
    });
    const behaviour = queue.shift() ?? fallback;
    switch (behaviour.kind) {
      case 'token': {
        const accessToken = issue(behaviour.opaque);
        const body = behaviour.body
          ? behaviour.body(accessToken)
          : { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 };
        json(res, 200, body);
        return;
      }
      case 'jwt': {
        const accessToken = makeFakeJwt(behaviour.claims);
        issued.push(accessToken);
        json(res, 200, {
          access_token: accessToken,
          token_type: 'Bearer',
          ...(behaviour.expiresIn === undefined ? {} : { expires_in: behaviour.expiresIn }),
        });
        return;
      }
      case 'literal':
        if (typeof behaviour.accessToken === 'string') issued.push(behaviour.accessToken);
        json(res, 200, { access_token: behaviour.accessToken, ...behaviour.extra });
        return;
      case 'respond':
        res.writeHead(behaviour.status, behaviour.headers ?? {});
        res.end(behaviour.body ?? '');
        return;
      case 'echo':
        // What a debugging proxy or a careless server does: quote the request back.
        json(res, 400, {
          error: 'invalid_request',
          error_description: `could not parse ${body} (authorization: ${req.headers.authorization ?? 'none'})`,
        });
        return;
      case 'hang':
        return;
      case 'headers-then-silence':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
        res.flushHeaders();
        return;
      case 'reset-before-headers':
        req.socket.destroy();
        return;
      case 'reset-mid-body': {
        const body = JSON.stringify({ access_token: issue(), expires_in: 3600 });
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(body.length),
        });
        res.write(body.slice(0, 20), () => setImmediate(() => req.socket.destroy()));
        return;
      }
      case 'trickle': {
        const body = JSON.stringify({
          access_token: issue(),
          expires_in: 3600,
          token_type: 'Bearer',
        });
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(body.length),
        });
        let at = 0;
        const step = behaviour.chunk ?? 1;
        const timer = setInterval(() => {
          if (res.destroyed) {
            clearInterval(timer);
            timers.delete(timer);
            return;
          }
          res.write(body.slice(at, at + step));
          at += step;
          if (at >= body.length) {
            clearInterval(timer);
            timers.delete(timer);
            res.end();
          }
        }, behaviour.intervalMs);
        timers.add(timer);
        return;
      }
    }
  };

  const api = (req: IncomingMessage, res: ServerResponse): void => {
    const match = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const status = match?.[1] && issued.includes(match[1]) ? 200 : 401;
    apiStatuses.push(status);
    json(res, status, status === 200 ? { ok: true } : { error: 'invalid_token' });
  };

  const server = createServer((req, res) => {
    // No keep-alive: reset() destroys sockets, and a client must never reuse a dead pooled one.
    res.setHeader('connection', 'close');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      if (req.url?.startsWith('/token')) token(req, res, body);
      else if (req.url?.startsWith('/api')) api(req, res);
      else json(res, 404, { error: 'not_found' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const dropConnections = (): void => {
    for (const timer of timers) clearInterval(timer);
    timers.clear();
    for (const socket of sockets) socket.destroy();
  };

  return {
    origin,
    tokenUrl: `${origin}/token`,
    apiUrl: `${origin}/api/orders`,
    issued,
    apiStatuses,
    get tokenCalls() {
      return tokenCalls;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    script(behaviours, next = GOOD) {
      queue = [...behaviours];
      fallback = next;
    },
    reset() {
      generation += 1;
      dropConnections();
      queue = [];
      fallback = GOOD;
      issued.length = 0;
      apiStatuses.length = 0;
      tokenCalls = 0;
      inFlight = 0;
      maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        dropConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
