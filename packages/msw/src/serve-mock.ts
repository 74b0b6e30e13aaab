// Serves MSW handlers over real loopback HTTP (node:http), for multi-process tests and benchmarks.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'msw';
import { getResponse } from 'msw/utils/get-response';
import { rememberClientAddress } from './rate-limit.ts';

/**
 * Options of {@link serveMock}.
 *
 * @example
 * ```ts
 * await serveMock((baseUrl) => norceMock({ baseUrl }), { port: 0 });
 * ```
 */
export interface ServeMockOptions {
  /** Port to bind; default 0 (any free port). */
  readonly port?: number;
  /** Loopback address to bind; default `127.0.0.1`. */
  readonly host?: string;
}

/** Anything with MSW handlers, such as a {@link norceMock} or {@link oracleCommerceMock}. */
export interface HandlerSource {
  readonly handlers: readonly RequestHandler[];
}

/** A running loopback server. */
export interface ServedMock<T extends HandlerSource> {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  /** The mock built for `url` (or `{ handlers }` when handlers were passed directly). */
  readonly mock: T;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

async function toFetchRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  }
  const method = req.method ?? 'GET';
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
  });
}

async function writeResponse(
  res: ServerResponse,
  response: Response,
  method: string,
): Promise<void> {
  if (response.type === 'error') {
    // HttpResponse.error(): the client must see a network failure, not an HTTP answer.
    res.socket?.destroy();
    return;
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, response.statusText || undefined, headers);
  res.end(method === 'HEAD' ? undefined : body);
}

/**
 * Runs MSW handlers behind a `node:http` server on loopback. Pass a factory to build the mock for
 * the bound origin (so `port: 0` works), or ready-made handlers when you chose the port yourself.
 * Requests no handler matches get a 404 `{ "error": "no_mock_handler" }` (the mock's own shape).
 *
 * @example
 * ```ts
 * const served = await serveMock((baseUrl) => norceMock({ baseUrl }));
 * const response = await fetch(served.mock.tokenUrl, { method: 'POST', body: form });
 * await served.close();
 * ```
 */
export function serveMock<T extends HandlerSource>(
  create: (baseUrl: string) => T,
  options?: ServeMockOptions,
): Promise<ServedMock<T>>;
export function serveMock(
  handlers: readonly RequestHandler[],
  options?: ServeMockOptions,
): Promise<ServedMock<HandlerSource>>;
export async function serveMock(
  source: ((baseUrl: string) => HandlerSource) | readonly RequestHandler[],
  options: ServeMockOptions = {},
): Promise<ServedMock<HandlerSource>> {
  const host = options.host ?? '127.0.0.1';
  let mock: HandlerSource | undefined;
  let origin = '';

  const server = createServer((req, res) => {
    const handle = async (): Promise<void> => {
      const request = await toFetchRequest(req, origin);
      // Handlers see a Fetch Request without a socket; limits per client IP read it from here.
      rememberClientAddress(request, req.socket.remoteAddress);
      const response = await getResponse([...(mock?.handlers ?? [])], request);
      await writeResponse(
        res,
        response ??
          Response.json(
            { error: 'no_mock_handler', method: request.method, url: request.url },
            { status: 404 },
          ),
        request.method,
      );
    };
    handle().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`mock handler failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  mock = typeof source === 'function' ? source(origin) : { handlers: source };

  return {
    url: origin,
    mock,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
