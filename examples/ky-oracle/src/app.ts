// Your application code: a ky instance for the Oracle Commerce admin API, with authwire's hooks.
import { authHooks } from '@authwire/ky';
import type { OracleCommerceTokenManager } from '@authwire/oracle-commerce';
import ky, { type KyInstance } from 'ky';

export interface Order {
  readonly id: string;
  readonly state: string;
  readonly priceInfo: { readonly total: number; readonly currencyCode: string };
}

/** Oracle's list envelope. */
export interface OrderList {
  readonly total: number;
  readonly items: readonly Order[];
}

/** `auth.apiUrl` is `{baseUrl}/ccadmin/v1`; every call through this instance carries the token. */
export function createOracleClient(auth: OracleCommerceTokenManager): KyInstance {
  return ky.create({
    prefix: auth.apiUrl,
    timeout: 10_000,
    headers: { 'x-ccasset-language': 'en' },
    hooks: authHooks(auth),
  });
}

export function listOrders(api: KyInstance): Promise<OrderList> {
  return api.get('orders', { searchParams: { limit: 10 } }).json<OrderList>();
}
