// The Norce options every recipe reads from the environment (NORCE_* as in the other examples).
import type { NorceOptions } from '@authwire/norce';

type NorceEnvOptions = Pick<
  NorceOptions,
  'clientId' | 'clientSecret' | 'applicationId' | 'clientName' | 'environment'
>;

/** The variable's value; throws naming it when it is unset or empty. */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

/** NORCE_CLIENT_ID, NORCE_CLIENT_SECRET, NORCE_APPLICATION_ID, NORCE_CLIENT_NAME, NORCE_ENVIRONMENT. */
export function norceEnv(env: NodeJS.ProcessEnv = process.env): NorceEnvOptions {
  const required = (name: string): string => requiredEnv(name, env);
  const environment = env.NORCE_ENVIRONMENT ?? 'production';
  if (environment !== 'playground' && environment !== 'stage' && environment !== 'production') {
    throw new Error(
      `NORCE_ENVIRONMENT must be playground, stage or production; got ${environment}`,
    );
  }
  return {
    clientId: required('NORCE_CLIENT_ID'),
    clientSecret: required('NORCE_CLIENT_SECRET'),
    applicationId: required('NORCE_APPLICATION_ID'),
    clientName: required('NORCE_CLIENT_NAME'),
    environment,
  };
}
