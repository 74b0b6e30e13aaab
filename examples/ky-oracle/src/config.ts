// Oracle Commerce settings from environment variables; none set means "use the embedded mock".
import type { OracleCommerceApi, OracleCommerceOptions } from '@authwire/oracle-commerce';

const REQUIRED = ['OCC_BASE_URL', 'OCC_APPLICATION_KEY'] as const;

/** `undefined` when no Oracle credentials are configured; throws when they are half-configured. */
export function oracleOptionsFromEnv(env: NodeJS.ProcessEnv): OracleCommerceOptions | undefined {
  if (REQUIRED.every((name) => !env[name])) return undefined;
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`Missing environment variables: ${missing.join(', ')} (see .env.example)`);
  }
  return {
    baseUrl: env.OCC_BASE_URL!,
    applicationKey: env.OCC_APPLICATION_KEY!,
    ...(env.OCC_API ? { api: env.OCC_API as OracleCommerceApi } : {}),
  };
}
