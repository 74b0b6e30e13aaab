// The `oracleCommerce()` preset: validated options → provider → a ready token manager.
import type { TokenManager } from '@authwire/core';
import { presetManager } from '@authwire/core/kit';
import type { OracleCommerceApi } from './api.ts';
import type { OracleCommerceOptions } from './options.ts';
import { oracleCommerceProvider } from './provider.ts';

/** A token manager for Oracle Commerce Cloud, with the settled URLs for the user's HTTP client. */
export interface OracleCommerceTokenManager extends TokenManager {
  /** The instance origin, e.g. `https://ccadmin-z1ab.oracleoutsourcing.com`. */
  readonly baseUrl: string;
  readonly api: OracleCommerceApi;
  /** `{baseUrl}/cc{api}/v1`, e.g. `https://…/ccadmin/v1`: prefix API paths with it. */
  readonly apiUrl: string;
}

/**
 * Creates a token manager for Oracle Commerce Cloud: logs in with the application key,
 * refreshes ahead of expiry (falling back to a login when the refresh is refused), logs in
 * again after a 401, and logs out on `close()` with `revokeOnClose: true`. Throws
 * `InvalidOptionsError` / `InsecureUrlError` synchronously on a bad option.
 *
 * @example
 * ```ts
 * const auth = oracleCommerce({
 *   baseUrl: 'https://ccadmin-z1ab.oracleoutsourcing.com',
 *   applicationKey: process.env.OCC_APP_KEY!,
 * });
 * const url = `${auth.apiUrl}/orders`;
 * const res = await fetch(url, { headers: (await auth.authorize(url))?.headers ?? {} });
 * ```
 */
export function oracleCommerce(options: OracleCommerceOptions): OracleCommerceTokenManager {
  // Validates first, so a non-object fails with InvalidOptionsError rather than a TypeError.
  return presetManager(oracleCommerceProvider(options), options, ['baseUrl', 'api', 'apiUrl']);
}
