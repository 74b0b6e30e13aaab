// Your service: a small node:http API that calls Norce Commerce through got, with authwire's hooks.
import { createServer, type Server } from 'node:http';
import { authHooks } from '@authwire/got';
import type { NorceTokenManager } from '@authwire/norce';
import got, { type Got } from 'got';

export interface Product {
  readonly Id: number;
  readonly PartNo: string;
  readonly Name: string;
}

/** One got instance for the whole service: token and ApplicationId on every Norce call. */
export function createNorceClient(auth: NorceTokenManager): Got {
  return got.extend({
    prefixUrl: auth.baseUrl,
    timeout: { request: 10_000 },
    hooks: authHooks(auth),
  });
}

/** `GET /products` answers with Norce's product list; `GET /health` says the service is up. */
export function createService(norce: Got): Server {
  return createServer(async (request, response) => {
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    try {
      if (request.method === 'GET' && request.url === '/health') return send(200, { ok: true });
      if (request.method === 'GET' && request.url === '/products') {
        const list = await norce
          .get('commerce/product/1.1/ListProducts', { searchParams: { format: 'json' } })
          .json<{ Items: Product[] }>();
        return send(200, { products: list.Items });
      }
      send(404, { error: 'not found' });
    } catch (error) {
      // authwire errors carry a stable code and never the token or secret.
      const code = (error as { code?: unknown }).code;
      send(502, { error: 'norce unavailable', code: typeof code === 'string' ? code : undefined });
    }
  });
}
