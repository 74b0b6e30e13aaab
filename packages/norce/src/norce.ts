// The `norce()` preset: validated options → provider → a ready token manager.
import type { TokenManager } from '@authwire/core';
import { presetManager } from '@authwire/core/kit';
import type { NorceEnvironment } from './environment.ts';
import type { NorceOptions } from './options.ts';
import { norceProvider } from './provider.ts';

/** A token manager for Norce Commerce, with the settled URLs for the user's HTTP client. */
export interface NorceTokenManager extends TokenManager {
  /** API base, e.g. `https://acme.api-se.playground.norce.tech` (no trailing slash). */
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly environment: NorceEnvironment;
  readonly scope: string;
  readonly applicationId: string;
  readonly applicationIdHeader: string;
}

/**
 * Creates a token manager for Norce Commerce (client credentials, `ApplicationId` header,
 * the published token-endpoint rate limit). Throws `InvalidOptionsError` / `InsecureUrlError`
 * synchronously on a bad option.
 *
 * @example
 * ```ts
 * const auth = norce({
 *   clientId: process.env.NORCE_CLIENT_ID!,
 *   clientSecret: process.env.NORCE_CLIENT_SECRET!,
 *   applicationId: 1234,
 *   environment: 'playground',
 *   clientName: 'acme',
 *   region: 'se',
 * });
 * const res = await fetch(`${auth.baseUrl}/commerce/metadata/1.1/GetApplication?format=json`, {
 *   headers: (await auth.authorize(auth.baseUrl))?.headers ?? {},
 * });
 * ```
 */
export function norce(options: NorceOptions): NorceTokenManager {
  // Validates first, so a non-object fails with InvalidOptionsError rather than a TypeError.
  return presetManager(norceProvider(options), options, [
    'baseUrl',
    'tokenUrl',
    'environment',
    'scope',
    'applicationId',
    'applicationIdHeader',
  ]);
}
