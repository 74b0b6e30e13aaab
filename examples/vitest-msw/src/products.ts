// The app code under test: a small Norce product client on axios, authorized by authwire.
import { withAuth } from '@authwire/axios';
import type { NorceTokenManager } from '@authwire/norce';
import axios from 'axios';

export interface Product {
  readonly Id: number;
  readonly PartNo: string;
  readonly Name: string;
}

/** Lists the tenant's products (Norce `product/1.1/ListProducts`). */
export function productClient(auth: NorceTokenManager): { list(): Promise<Product[]> } {
  const api = withAuth(axios.create({ baseURL: auth.baseUrl }), auth);
  return {
    list: async () => {
      const { data } = await api.get<{ Items: Product[] }>('/commerce/product/1.1/ListProducts', {
        params: { format: 'json' },
      });
      return data.Items;
    },
  };
}
