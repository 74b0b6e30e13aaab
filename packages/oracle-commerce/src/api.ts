// The four Oracle Commerce Cloud API families a token can be issued for.

/**
 * Which API the token is for: `admin` (`/ccadmin/v1`), `agent` (`/ccagent/v1`), `app`
 * (`/ccapp/v1`, store extensions' admin family) or `appAgent` (`/ccappagent/v1`).
 */
export type OracleCommerceApi = 'admin' | 'agent' | 'app' | 'appAgent';

/** Every API family, for validation and documentation. */
export const ORACLE_COMMERCE_APIS: readonly OracleCommerceApi[] = [
  'admin',
  'agent',
  'app',
  'appAgent',
];

/**
 * The versioned path prefix of `api`, e.g. `/ccadmin/v1`. docs.oracle.com "Use the application
 * key for authentication" (/ccadmin/v1/login), the store-extension docs (/ccapp/v1/login,
 * /ccappagent/v1/login) and the Agent API reference (/ccagent/v1): `cc` + the lower-cased family.
 */
export function oracleCommerceApiPath(api: OracleCommerceApi): string {
  return `/cc${api.toLowerCase()}/v1`;
}
