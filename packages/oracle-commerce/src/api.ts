// The four Oracle Commerce Cloud API families a token can be issued for.

/**
 * Which API the token is for: `admin` (`/ccadmin/v1`), `agent` (`/ccagent/v1`), `app`
 * (`/ccapp/v1`, store extensions' admin family) or `appAgent` (`/ccappagent/v1`).
 */
export type OracleCommerceApi = 'admin' | 'agent' | 'app' | 'appAgent';

// docs.oracle.com "Use the application key for authentication" (/ccadmin/v1/login) and the
// store-extension docs (/ccapp/v1/login, /ccappagent/v1/login); Agent API reference (/ccagent/v1).
const API_PATHS: Readonly<Record<OracleCommerceApi, string>> = {
  admin: '/ccadmin/v1',
  agent: '/ccagent/v1',
  app: '/ccapp/v1',
  appAgent: '/ccappagent/v1',
};

/** Every API family, for validation and documentation. */
export const ORACLE_COMMERCE_APIS: readonly OracleCommerceApi[] = [
  'admin',
  'agent',
  'app',
  'appAgent',
];

/** Whether `value` names an API family. */
export function isOracleCommerceApi(value: unknown): value is OracleCommerceApi {
  return typeof value === 'string' && Object.hasOwn(API_PATHS, value);
}

/** The versioned path prefix of `api`, e.g. `/ccadmin/v1`. */
export function oracleCommerceApiPath(api: OracleCommerceApi): string {
  return API_PATHS[api];
}
