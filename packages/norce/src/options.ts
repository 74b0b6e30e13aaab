// The options of the Norce provider and of the `norce()` preset.
import type { TokenManagerOptions } from '@authwire/core';
import type { NorceEnvironment } from './environment.ts';

/** Options of {@link norceProvider}: where and how to ask Norce identity for a token. */
export interface NorceProviderOptions {
  /** OAuth2 client id of the integration user (Norce Admin › Settings › Users › OAUTH). */
  readonly clientId: string;
  /** OAuth2 client secret; never logged, never part of an error message or cache key. */
  readonly clientSecret: string;
  /** Numeric application id, sent with every API request (not the token request). */
  readonly applicationId: number | string;
  /** Picks the host label and the default scope. */
  readonly environment: NorceEnvironment;
  /** The installation's client name: the first label of `{clientName}.api-{region}…norce.tech`. */
  readonly clientName?: string;
  /** Region label: the `api-{region}` part of the host. Default `'se'` ({@link DEFAULT_NORCE_REGION}). */
  readonly region?: string;
  /** Use the legacy Norce [Storm] identity `https://identity.storm.io/1.0/connect/token`. */
  readonly storm?: boolean;
  /** Space-delimited scope; overrides the environment's default (e.g. `lab`, `prod`, `qa`). */
  readonly scope?: string;
  /** Token endpoint override (proxies, tests). HTTPS, or http to a loopback host. */
  readonly tokenUrl?: string;
  /** API base override (proxies, tests). HTTPS, or http to a loopback host. */
  readonly baseUrl?: string;
  /** Header carrying the application id. Default `ApplicationId`; some services use `application-id`. */
  readonly applicationIdHeader?: string;
}

/** Options of {@link norce}: the provider's options plus the token manager's. */
export interface NorceOptions extends NorceProviderOptions, Omit<TokenManagerOptions, 'origins'> {}

/** The names of {@link NorceProviderOptions}, for the preset's check of unknown option names. */
export const NORCE_PROVIDER_OPTIONS: readonly (keyof NorceProviderOptions)[] = [
  'clientId',
  'clientSecret',
  'applicationId',
  'environment',
  'clientName',
  'region',
  'storm',
  'scope',
  'tokenUrl',
  'baseUrl',
  'applicationIdHeader',
];
