// Norce environments and the scope each one asks the identity server for.

/** A Norce Commerce environment. */
export type NorceEnvironment = 'playground' | 'stage' | 'production';

/** Every environment, for validation and documentation. */
export const NORCE_ENVIRONMENTS: readonly NorceEnvironment[] = [
  'playground',
  'stage',
  'production',
];

/**
 * Default scope per environment on `*.norce.tech` identity. docs.norce.io "Accessing APIs with
 * OAuth2 accounts" (HTML version) lists `playground`, `stage`, `production`; its Markdown
 * version and the agent SDK docs say `prod`, and some installations still use `lab` for
 * playground/stage — those are reachable through the `scope` option.
 */
const NORCE_SCOPES: Readonly<Record<NorceEnvironment, string>> = {
  playground: 'playground',
  stage: 'stage',
  production: 'production',
};

/**
 * Default scope per environment on the legacy Norce [Storm] identity
 * (`identity.storm.io`). Same page, footnotes: "lab for Norce [Storm]" and "lab is used for the
 * stage environment in Norce [Storm]". Storm installations with a `qa` environment pass
 * `scope: 'qa'`.
 */
const STORM_SCOPES: Readonly<Record<NorceEnvironment, string>> = {
  playground: 'lab',
  stage: 'lab',
  production: 'production',
};

/** Whether `value` names a Norce environment. */
export function isNorceEnvironment(value: unknown): value is NorceEnvironment {
  return typeof value === 'string' && (NORCE_ENVIRONMENTS as readonly string[]).includes(value);
}

/** The scope requested by default for `environment` (Storm identity when `storm` is true). */
export function defaultNorceScope(environment: NorceEnvironment, storm: boolean): string {
  return (storm ? STORM_SCOPES : NORCE_SCOPES)[environment];
}
