// Settings from environment variables. Each platform whose variables are unset uses its mock.
import type { NorceEnvironment, NorceOptions } from '@authwire/norce';
import type { OracleCommerceOptions } from '@authwire/oracle-commerce';

const NORCE = [
  'NORCE_CLIENT_ID',
  'NORCE_CLIENT_SECRET',
  'NORCE_APPLICATION_ID',
  'NORCE_CLIENT_NAME',
] as const;
const ORACLE = ['OCC_BASE_URL', 'OCC_APPLICATION_KEY'] as const;

function configured(env: NodeJS.ProcessEnv, names: readonly string[]): boolean {
  if (names.every((name) => !env[name])) return false;
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`Missing environment variables: ${missing.join(', ')} (see .env.example)`);
  }
  return true;
}

export function norceOptionsFromEnv(env: NodeJS.ProcessEnv): NorceOptions | undefined {
  if (!configured(env, NORCE)) return undefined;
  return {
    clientId: env.NORCE_CLIENT_ID!,
    clientSecret: env.NORCE_CLIENT_SECRET!,
    applicationId: env.NORCE_APPLICATION_ID!,
    clientName: env.NORCE_CLIENT_NAME!,
    environment: (env.NORCE_ENVIRONMENT ?? 'playground') as NorceEnvironment,
    region: env.NORCE_REGION ?? 'se',
    ...(env.NORCE_SCOPE ? { scope: env.NORCE_SCOPE } : {}),
  };
}

export function oracleOptionsFromEnv(env: NodeJS.ProcessEnv): OracleCommerceOptions | undefined {
  if (!configured(env, ORACLE)) return undefined;
  return { baseUrl: env.OCC_BASE_URL!, applicationKey: env.OCC_APPLICATION_KEY! };
}
