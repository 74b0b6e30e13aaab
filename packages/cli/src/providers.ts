// Builds a preset's token manager from flags and environment variables, per platform.
import { memoryStore, type TokenManager } from '@authwire/core';
import { type NorceEnvironment, norce } from '@authwire/norce';
import { type OracleCommerceApi, oracleCommerce } from '@authwire/oracle-commerce';
import type { Flags } from './flags.ts';
import { UsageError } from './usage-error.ts';

export interface Target {
  readonly auth: TokenManager;
  /** What the summary prints, besides expiry and scope (never a secret). */
  readonly details: readonly (readonly [string, string])[];
  readonly title: string;
  /** Absolute URL the curl command calls. */
  readonly curlUrl: (path: string | undefined) => string;
}

/** One setting, from its flag or its environment variable. */
export function setting(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  flag: string,
  variable: string,
): string | undefined {
  const value = flags[flag];
  if (typeof value === 'string' && value !== '') return value;
  const fromEnv = env[variable];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

export function requireAll(
  command: string,
  entries: readonly (readonly [string, string, string | undefined])[],
): void {
  const missing = entries.filter(([, , value]) => value === undefined);
  if (missing.length === 0) return;
  const lines = missing.map(([flag, variable]) => `  --${flag} or ${variable}`);
  throw new UsageError(`token ${command}: missing credentials:\n${lines.join('\n')}`);
}

/**
 * Each `--flag` given here, or its environment variable, all required: every missing one is named
 * in one UsageError (flag and variable, never a value). The names are written once, in `wanted`.
 */
export function requiredSettings<F extends string>(
  command: string,
  flags: Flags,
  env: NodeJS.ProcessEnv,
  wanted: Readonly<Record<F, string>>,
): Record<F, string> {
  const entries = (Object.entries(wanted) as [F, string][]).map(
    ([flag, variable]) => [flag, variable, setting(flags, env, flag, variable)] as const,
  );
  requireAll(command, entries);
  return Object.fromEntries(entries.map(([flag, , value]) => [flag, value])) as Record<F, string>;
}

export function rejectForeign(command: string, flags: Flags, allowed: readonly string[]): void {
  const common = ['curl', 'path', 'help', 'json', 'version'];
  for (const [name, value] of Object.entries(flags)) {
    if (value !== undefined && !allowed.includes(name) && !common.includes(name)) {
      throw new UsageError(`token ${command}: --${name} is not a ${command} option`);
    }
  }
}

export const joinPath = (base: string, path: string): string =>
  `${base}${path.startsWith('/') ? '' : '/'}${path}`;

export function norceTarget(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  debug?: (line: string) => void,
): Target {
  rejectForeign('norce', flags, [
    'client-id',
    'client-secret',
    'application-id',
    'client-name',
    'environment',
    'region',
    'scope',
    'storm',
    'token-url',
    'base-url',
  ]);
  const get = (flag: string, variable: string) => setting(flags, env, flag, variable);
  const clientId = get('client-id', 'NORCE_CLIENT_ID');
  const clientSecret = get('client-secret', 'NORCE_CLIENT_SECRET');
  const applicationId = get('application-id', 'NORCE_APPLICATION_ID');
  const clientName = get('client-name', 'NORCE_CLIENT_NAME');
  const tokenUrl = get('token-url', 'NORCE_TOKEN_URL');
  const baseUrl = get('base-url', 'NORCE_BASE_URL');
  const overridden = tokenUrl !== undefined && baseUrl !== undefined;
  requireAll('norce', [
    ['client-id', 'NORCE_CLIENT_ID', clientId],
    ['client-secret', 'NORCE_CLIENT_SECRET', clientSecret],
    ['application-id', 'NORCE_APPLICATION_ID', applicationId],
    ...(overridden ? [] : [['client-name', 'NORCE_CLIENT_NAME', clientName] as const]),
  ]);
  const region = get('region', 'NORCE_REGION');
  const scope = get('scope', 'NORCE_SCOPE');
  const auth = norce({
    clientId: clientId!,
    clientSecret: clientSecret!,
    applicationId: applicationId!,
    environment: (get('environment', 'NORCE_ENVIRONMENT') ?? 'playground') as NorceEnvironment,
    ...(clientName === undefined ? {} : { clientName }),
    // Without one, the preset uses Norce's only public region, 'se'.
    ...(region === undefined ? {} : { region }),
    ...(scope === undefined ? {} : { scope }),
    ...(flags.storm === true ? { storm: true } : {}),
    ...(tokenUrl === undefined ? {} : { tokenUrl }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    store: memoryStore(),
    ...(debug === undefined ? {} : { debug }),
  });
  return {
    auth,
    title: `Norce Commerce token for client ${clientId} (${auth.environment})`,
    details: [
      ['token endpoint', auth.tokenUrl],
      ['API base', auth.baseUrl],
      ['application id', `${auth.applicationId} (header ${auth.applicationIdHeader})`],
    ],
    // The sample request of docs.norce.io "Calling Norce services".
    curlUrl: (path) =>
      joinPath(auth.baseUrl, path ?? '/commerce/metadata/1.1/GetApplication?format=json'),
  };
}

export function oracleTarget(
  flags: Flags,
  env: NodeJS.ProcessEnv,
  debug?: (line: string) => void,
): Target {
  rejectForeign('oracle', flags, ['base-url', 'application-key', 'api']);
  const baseUrl = setting(flags, env, 'base-url', 'OCC_BASE_URL');
  const applicationKey = setting(flags, env, 'application-key', 'OCC_APPLICATION_KEY');
  requireAll('oracle', [
    ['base-url', 'OCC_BASE_URL', baseUrl],
    ['application-key', 'OCC_APPLICATION_KEY', applicationKey],
  ]);
  const api = setting(flags, env, 'api', 'OCC_API') as OracleCommerceApi | undefined;
  const auth = oracleCommerce({
    baseUrl: baseUrl!,
    applicationKey: applicationKey!,
    ...(api === undefined ? {} : { api }),
    store: memoryStore(),
    ...(debug === undefined ? {} : { debug }),
  });
  return {
    auth,
    title: `Oracle Commerce token (${auth.api} API)`,
    details: [
      ['login endpoint', `${auth.apiUrl}/login`],
      ['API base', auth.apiUrl],
    ],
    curlUrl: (path) =>
      path === undefined ? `${auth.apiUrl}/orders?limit=1` : joinPath(auth.baseUrl, path),
  };
}
