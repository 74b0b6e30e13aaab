// Your application code: an axios client for Norce Commerce. authwire adds one line, `withAuth`.
import { withAuth } from '@authwire/axios';
import type { NorceTokenManager } from '@authwire/norce';
import axios, { type AxiosInstance } from 'axios';

export interface Application {
  readonly ApplicationId: number;
  readonly Name: string;
}

export interface Product {
  readonly Id: number;
  readonly PartNo: string;
  readonly Name: string;
}

/** The axios instance the rest of the app already uses, now sending Norce's token and ApplicationId. */
export function createNorceClient(auth: NorceTokenManager): AxiosInstance {
  const api = axios.create({ baseURL: auth.baseUrl, timeout: 10_000 });
  return withAuth(api, auth);
}

export async function getApplication(api: AxiosInstance): Promise<Application> {
  const { data } = await api.get<Application>('/commerce/metadata/1.1/GetApplication', {
    params: { format: 'json' },
  });
  return data;
}

export async function listProducts(api: AxiosInstance): Promise<Product[]> {
  const { data } = await api.get<{ Items: Product[] }>('/commerce/product/1.1/ListProducts', {
    params: { format: 'json' },
  });
  return data.Items;
}
