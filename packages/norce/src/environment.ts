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
 * The scope requested by default for `environment` (Storm identity when `storm` is true).
 *
 * On `*.norce.tech` identity the scope is the environment's name: docs.norce.io "Accessing APIs
 * with OAuth2 accounts" (HTML version) lists `playground`, `stage`, `production`; its Markdown
 * version and the agent SDK docs say `prod`, and some installations still use `lab` for
 * playground/stage — those are reachable through the `scope` option.
 *
 * On the legacy Norce [Storm] identity (`identity.storm.io`), same page, footnotes: "lab for
 * Norce [Storm]" and "lab is used for the stage environment in Norce [Storm]". Storm
 * installations with a `qa` environment pass `scope: 'qa'`.
 */
export function defaultNorceScope(environment: NorceEnvironment, storm: boolean): string {
  return storm && environment !== 'production' ? 'lab' : environment;
}
