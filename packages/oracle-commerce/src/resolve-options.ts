// Validates Oracle Commerce options up front and derives the endpoint URLs from them.
import { InvalidOptionsError, secureUrl } from '@authwire/core';
import {
  isOracleCommerceApi,
  ORACLE_COMMERCE_APIS,
  type OracleCommerceApi,
  oracleCommerceApiPath,
} from './api.ts';
import { applicationKeySubject, validateApplicationKey } from './application-key.ts';
import type { OracleCommerceProviderOptions } from './options.ts';

/** Options after validation, with every endpoint settled. */
export interface ResolvedOracleCommerceOptions {
  /** The instance origin, no trailing slash. */
  readonly baseUrl: string;
  readonly applicationKey: string;
  readonly applicationSubject: string | undefined;
  readonly api: OracleCommerceApi;
  /** `{baseUrl}/cc{api}/v1` */
  readonly apiUrl: string;
  readonly loginUrl: string;
  readonly refreshUrl: string;
  readonly logoutUrl: string;
}

/** Echoes a short word-like value (a typo like 'prod') but nothing that could be a credential. */
function describeValue(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z_-]{1,20}$/.test(value)
    ? `'${value}'`
    : `a ${typeof value}`;
}

function resolveBaseUrl(value: unknown): string {
  const url = secureUrl(value, 'baseUrl');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new InvalidOptionsError(
      'baseUrl',
      'baseUrl must be the instance origin (e.g. https://example.com) without a path, query or fragment',
    );
  }
  return url.origin;
}

function resolveApi(value: unknown): OracleCommerceApi {
  if (value === undefined) return 'admin';
  if (isOracleCommerceApi(value)) return value;
  throw new InvalidOptionsError(
    'api',
    `api must be one of ${ORACLE_COMMERCE_APIS.map((a) => `'${a}'`).join(', ')}; got ${describeValue(value)}`,
  );
}

/**
 * Validates every option synchronously. Throws `InvalidOptionsError` naming the option (never
 * echoing the application key) or `InsecureUrlError`.
 */
export function resolveOracleCommerceOptions(
  options: OracleCommerceProviderOptions,
): ResolvedOracleCommerceOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError('options', 'Oracle Commerce options must be an object');
  }
  const baseUrl = resolveBaseUrl(options.baseUrl);
  const applicationKey = validateApplicationKey(options.applicationKey);
  const api = resolveApi(options.api);
  const apiUrl = `${baseUrl}${oracleCommerceApiPath(api)}`;
  return {
    baseUrl,
    applicationKey,
    applicationSubject: applicationKeySubject(applicationKey),
    api,
    apiUrl,
    // docs.oracle.com "Use the application key for authentication", "Refresh an access token",
    // REST reference (logout): the same three endpoints exist in every API family.
    loginUrl: `${apiUrl}/login`,
    refreshUrl: `${apiUrl}/refresh`,
    logoutUrl: `${apiUrl}/logout`,
  };
}
