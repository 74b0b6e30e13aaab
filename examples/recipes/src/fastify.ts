// A Fastify service that calls Norce with got: one token manager for the server's lifetime,
// created with the server and closed by Fastify's onClose hook (so `app.close()` in a test or on
// SIGTERM stops refresh timers and in-flight token requests).
import { withAuth } from '@authwire/got';
import { type NorceOptions, norce } from '@authwire/norce';
import Fastify, { type FastifyInstance } from 'fastify';
import got from 'got';

/** Builds the server; `norceOptions` usually come from `norceEnv()`. */
export function buildServer(norceOptions: NorceOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  const auth = norce(norceOptions);
  const norceApi = withAuth(
    got.extend({ prefixUrl: auth.baseUrl, timeout: { request: 10_000 } }),
    auth,
  );
  app.addHook('onClose', async () => {
    await auth.close();
  });

  app.get('/products', async () => {
    const products = await norceApi
      .get('commerce/product/1.1/ListProducts', { searchParams: { format: 'json' } })
      .json<{ ItemCount: number; Items: { PartNo: string }[] }>();
    return { count: products.ItemCount, partNos: products.Items.map((item) => item.PartNo) };
  });
  return app;
}
