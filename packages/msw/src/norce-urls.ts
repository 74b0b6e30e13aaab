// Norce Commerce host names, token URL and accepted scope spellings per environment.

/** Norce Commerce environments. */
export type NorceEnvironment = 'playground' | 'stage' | 'production';

/** Where a Norce tenant lives. */
export interface NorceLocation {
  readonly clientName?: string;
  readonly region?: string;
  readonly environment?: NorceEnvironment;
  /** Legacy Norce [Storm] identity host. */
  readonly storm?: boolean;
  /** Serve everything on this origin instead (e.g. `http://127.0.0.1:PORT`). */
  readonly baseUrl?: string;
}

const STORM_TOKEN_URL = 'https://identity.storm.io/1.0/connect/token';

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The origin of a Norce tenant's services: `https://{clientName}.api-{region}[.{environment}].norce.tech`,
 * no environment label for production (docs.norce.io, "Accessing APIs with OAuth2 accounts").
 *
 * @example
 * ```ts
 * norceApiOrigin({ clientName: 'acme', environment: 'stage' }); // https://acme.api-se.stage.norce.tech
 * ```
 */
export function norceApiOrigin(location: NorceLocation = {}): string {
  if (location.baseUrl !== undefined) return trimSlash(location.baseUrl);
  const { clientName = 'demo', region = 'se', environment = 'playground' } = location;
  const label = environment === 'production' ? '' : `.${environment}`;
  return `https://${clientName}.api-${region}${label}.norce.tech`;
}

/**
 * The token URL: `{origin}/identity/1.0/connect/token`, or Storm's
 * `https://identity.storm.io/1.0/connect/token` (same docs page).
 * With `baseUrl` and `storm`, Storm's path is served on `baseUrl`.
 *
 * @example
 * ```ts
 * norceTokenUrl({ clientName: 'acme', environment: 'production' });
 * // https://acme.api-se.norce.tech/identity/1.0/connect/token
 * ```
 */
export function norceTokenUrl(location: NorceLocation = {}): string {
  if (location.storm) {
    return location.baseUrl === undefined
      ? STORM_TOKEN_URL
      : `${trimSlash(location.baseUrl)}/1.0/connect/token`;
  }
  return `${norceApiOrigin(location)}/identity/1.0/connect/token`;
}

/**
 * Scope values each environment's identity server accepts. The docs disagree with themselves
 * (HTML: playground/stage/production; Markdown: playground/stage/prod) and `lab` is still used
 * for playground and stage; Storm used lab/qa/production (see /work/shared/PLATFORMS.md).
 *
 * @example
 * ```ts
 * norceAcceptedScopes('production'); // ['production', 'prod']
 * ```
 */
export function norceAcceptedScopes(
  environment: NorceEnvironment,
  storm = false,
): readonly string[] {
  if (storm) return ['lab', 'qa', 'production'];
  if (environment === 'playground') return ['playground', 'lab'];
  if (environment === 'stage') return ['stage', 'lab'];
  return ['production', 'prod'];
}
