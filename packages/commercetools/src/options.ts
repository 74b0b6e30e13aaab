// The options of the commercetools provider and of the `commercetools()` preset.
import type { TokenManagerOptions } from '@authwire/core';
import type { CommercetoolsRegion } from './regions.ts';

/** Options of {@link commercetoolsProvider}: where and how to ask the OAuth 2.0 service for a token. */
export interface CommercetoolsProviderOptions {
  /** `client_id` of the API Client (Merchant Center › Settings › Developer settings). */
  readonly clientId: string;
  /** `secret` of the API Client; never logged, never part of an error message or cache key. */
  readonly clientSecret: string;
  /** The Project key (`project_key` on the API Client's credentials page). */
  readonly projectKey: string;
  /** The Region the Project lives in, e.g. `europe-west1.gcp`. */
  readonly region: CommercetoolsRegion;
  /**
   * Scopes to request, e.g. `['view_products:acme', 'manage_orders:acme']` or the same
   * space-separated. Default `manage_project:{projectKey}`: ask for fewer when the API Client
   * has fewer (the service answers `invalid_scope` for a scope the client lacks).
   */
  readonly scopes?: string | readonly string[];
  /** Token endpoint override (proxies, tests). HTTPS, or http to a loopback host. */
  readonly tokenUrl?: string;
  /** API origin override (proxies, tests). HTTPS, or http to a loopback host. */
  readonly baseUrl?: string;
}

/** Options of {@link commercetools}: the provider's options plus the token manager's. */
export interface CommercetoolsOptions
  extends CommercetoolsProviderOptions,
    Omit<TokenManagerOptions, 'origins'> {}

/** The names of {@link CommercetoolsProviderOptions}, for the preset's unknown-option check. */
export const COMMERCETOOLS_PROVIDER_OPTIONS: readonly (keyof CommercetoolsProviderOptions)[] = [
  'clientId',
  'clientSecret',
  'projectKey',
  'region',
  'scopes',
  'tokenUrl',
  'baseUrl',
];
