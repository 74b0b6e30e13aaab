// Your application code: typed openapi-fetch clients for Norce and Oracle, one `withAuth` each.
import type { NorceTokenManager } from '@authwire/norce';
import { withAuth } from '@authwire/openapi-fetch';
import type { OracleCommerceTokenManager } from '@authwire/oracle-commerce';
import createClient from 'openapi-fetch';
import type { paths as NorcePaths } from './generated/norce.gen.ts';
import type {
  components as OracleComponents,
  paths as OraclePaths,
} from './generated/oracle.gen.ts';

export type Order = OracleComponents['schemas']['Order'];

/** openapi-fetch captures `fetch` on creation: with MSW in tests, create clients after it listens. */
export function createNorceClient(auth: NorceTokenManager) {
  return withAuth(createClient<NorcePaths>({ baseUrl: auth.baseUrl }), auth);
}

export function createOracleClient(auth: OracleCommerceTokenManager) {
  return withAuth(createClient<OraclePaths>({ baseUrl: auth.baseUrl }), auth);
}

export async function norceCatalog(norce: ReturnType<typeof createNorceClient>) {
  // Paths, query parameters and response bodies are all checked against openapi/norce.yaml.
  const [application, products] = await Promise.all([
    norce.GET('/commerce/metadata/1.1/GetApplication', { params: { query: { format: 'json' } } }),
    norce.GET('/commerce/product/1.1/ListProducts', {
      params: { query: { format: 'json', pageSize: 50 } },
    }),
  ]);
  if (!application.data || !products.data) {
    throw new Error(`Norce answered ${application.response.status} / ${products.response.status}`);
  }
  return { application: application.data, products: products.data.Items };
}

export async function recentOrders(
  oracle: ReturnType<typeof createOracleClient>,
): Promise<Order[]> {
  const { data, error, response } = await oracle.GET('/ccadmin/v1/orders', {
    params: { query: { limit: 10 }, header: { 'x-ccasset-language': 'en' } },
  });
  if (error) throw new Error(`Oracle answered ${response.status}: ${error.message}`);
  return data?.items ?? [];
}
