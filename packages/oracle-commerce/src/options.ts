// The options of the Oracle Commerce provider and of the `oracleCommerce()` preset.
import type { TokenManagerOptions } from '@authwire/core';
import type { OracleCommerceApi } from './api.ts';

/** Options of {@link oracleCommerceProvider}. */
export interface OracleCommerceProviderOptions {
  /** The instance's origin, e.g. `https://ccadmin-z1ab.oracleoutsourcing.com`. HTTPS (loopback excepted). */
  readonly baseUrl: string;
  /** The registered application's key (a JWT); never logged, never part of an error or cache key. */
  readonly applicationKey: string;
  /** API family the token is for. Default `admin`. */
  readonly api?: OracleCommerceApi;
}

/** Options of {@link oracleCommerce}: the provider's options plus the token manager's. */
export interface OracleCommerceOptions
  extends OracleCommerceProviderOptions,
    Omit<TokenManagerOptions, 'origins'> {}

/** The names of {@link OracleCommerceProviderOptions}, for the preset's check of unknown option names. */
export const ORACLE_COMMERCE_PROVIDER_OPTIONS: readonly (keyof OracleCommerceProviderOptions)[] = [
  'baseUrl',
  'applicationKey',
  'api',
];
