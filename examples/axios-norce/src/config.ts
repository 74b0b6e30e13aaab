// Norce settings from environment variables; none set means "use the embedded mock".
import type { NorceEnvironment, NorceOptions } from '@authwire/norce';

const REQUIRED = [
  'NORCE_CLIENT_ID',
  'NORCE_CLIENT_SECRET',
  'NORCE_APPLICATION_ID',
  'NORCE_CLIENT_NAME',
] as const;

/** `undefined` when no Norce credentials are configured; throws when they are half-configured. */
export function norceOptionsFromEnv(env: NodeJS.ProcessEnv): NorceOptions | undefined {
  if (REQUIRED.every((name) => !env[name])) return undefined;
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0)
    throw new Error(`Missing environment variables: ${missing.join(', ')} (see .env.example)`);
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
