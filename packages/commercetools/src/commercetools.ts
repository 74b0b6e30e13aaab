// The `commercetools()` preset: validated options → provider → a ready token manager.
import type { TokenManager } from '@authwire/core';
import { presetManager } from '@authwire/core/kit';
import { COMMERCETOOLS_PROVIDER_OPTIONS, type CommercetoolsOptions } from './options.ts';
import { commercetoolsProvider } from './provider.ts';
import type { CommercetoolsRegion } from './regions.ts';

/** A token manager for commercetools, with the settled URLs for the user's HTTP client. */
export interface CommercetoolsTokenManager extends TokenManager {
  readonly tokenUrl: string;
  /** `https://api.{region}.commercetools.com`. */
  readonly baseUrl: string;
  /** `{baseUrl}/{projectKey}`. */
  readonly projectUrl: string;
  readonly region: CommercetoolsRegion;
  readonly projectKey: string;
  readonly scope: string;
}

/**
 * Creates a token manager for commercetools Composable Commerce (client credentials with HTTP
 * Basic, the Region's hosts, Project scopes). Throws `InvalidOptionsError` / `InsecureUrlError`
 * synchronously on a bad option, with a did-you-mean for a misspelt name.
 *
 * @example
 * ```ts
 * const auth = commercetools({
 *   clientId: process.env.CTP_CLIENT_ID!,
 *   clientSecret: process.env.CTP_CLIENT_SECRET!,
 *   projectKey: 'acme',
 *   region: 'europe-west1.gcp',
 *   scopes: ['view_products:acme'],
 * });
 * const { headers } = (await auth.authorize(`${auth.projectUrl}/products`))!;
 * ```
 */
export function commercetools(options: CommercetoolsOptions): CommercetoolsTokenManager {
  return presetManager(
    'commercetools()',
    commercetoolsProvider,
    options,
    COMMERCETOOLS_PROVIDER_OPTIONS,
    ['tokenUrl', 'baseUrl', 'projectUrl', 'region', 'projectKey', 'scope'],
  );
}
