// The commercetools token provider: client credentials with HTTP Basic at the Region's OAuth 2.0 service.
import { clientCredentials } from '@authwire/core';
import {
  concealSecrets,
  credential,
  invalidOption,
  labelOf,
  matching,
  oneOf,
  overrideUrl,
  type TokenProvider,
} from '@authwire/core/kit';
import type { CommercetoolsProviderOptions } from './options.ts';
import { COMMERCETOOLS_REGIONS, type CommercetoolsRegion } from './regions.ts';

/** A {@link TokenProvider} for commercetools, with the settled URLs and scope. */
export interface CommercetoolsProvider extends TokenProvider {
  readonly origins: readonly string[];
  readonly secrets: readonly string[];
  /** The token endpoint the provider posts to. */
  readonly tokenUrl: string;
  /** The API origin (`https://api.{region}.commercetools.com`, no trailing slash). */
  readonly baseUrl: string;
  /** `{baseUrl}/{projectKey}`: the root of the Project's endpoints. */
  readonly projectUrl: string;
  readonly region: CommercetoolsRegion;
  readonly projectKey: string;
  /** The scopes requested, space-separated. */
  readonly scope: string;
}

// docs.commercetools.com "Projects": a key of 2 to 36 characters, [a-z0-9_-] (inferred from the
// ProjectDraft rules; the service is the judge).
const PROJECT_KEY = /^[a-z0-9_-]{2,36}$/;
// RFC 6749 §3.3 scope tokens (NQCHAR), e.g. `manage_orders:acme` or `manage_orders:acme:store-1`.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function scopesOf(value: unknown, projectKey: string): string {
  if (value === undefined) return `manage_project:${projectKey}`;
  const list =
    typeof value === 'string'
      ? value.split(' ').filter((s) => s !== '')
      : Array.isArray(value)
        ? value
        : invalidOption('scopes', 'must be a string or a list of strings');
  if (list.length === 0 || !list.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))) {
    invalidOption('scopes', "must be scope tokens, e.g. ['view_products:acme']");
  }
  return list.join(' ');
}

/**
 * Builds a commercetools token provider for `createTokenManager`. Most users want
 * {@link commercetools}, which also creates the manager. Validates every option synchronously.
 *
 * @example
 * ```ts
 * const provider = commercetoolsProvider({ clientId, clientSecret, projectKey: 'acme', region: 'europe-west1.gcp' });
 * const manager = createTokenManager(provider, {});
 * ```
 */
export function commercetoolsProvider(
  options: CommercetoolsProviderOptions,
): CommercetoolsProvider {
  if (typeof options !== 'object' || options === null)
    invalidOption('options', 'must be an object');
  const clientId = credential('clientId', options.clientId);
  const clientSecret = credential('clientSecret', options.clientSecret);
  const projectKey = matching(
    'projectKey',
    options.projectKey,
    PROJECT_KEY,
    "a Project key, e.g. 'acme-prod'",
  );
  const region = oneOf('region', options.region, COMMERCETOOLS_REGIONS);
  const scope = scopesOf(options.scopes, projectKey);
  // docs.commercetools.com "HTTP API authorization": tokens from `https://auth.{region}.commercetools.com`,
  // used on `https://api.{region}.commercetools.com`.
  const tokenUrl =
    options.tokenUrl === undefined
      ? `https://auth.${region}.commercetools.com/oauth/token`
      : overrideUrl('tokenUrl', options.tokenUrl).href;
  const baseUrl =
    options.baseUrl === undefined
      ? `https://api.${region}.commercetools.com`
      : overrideUrl('baseUrl', options.baseUrl).origin;

  // Same page: POST with the API Client's credentials in HTTP Basic, grant_type and scope in the
  // form body. The lifetime comes from the answer's expires_in (172800 s by default, per client).
  const base = clientCredentials({
    tokenUrl,
    clientId,
    clientSecret,
    scope,
    authMethod: 'client_secret_basic',
  });
  const provider = {
    fetchToken: base.fetchToken,
    key: ['commercetools', encodeURIComponent(projectKey), base.key].join('|'),
    label: labelOf('commercetools', tokenUrl),
    origins: Object.freeze([baseUrl]),
    // No rate limit on token requests is documented: none is declared (a 429 is still honoured).
    tokenUrl,
    baseUrl,
    projectUrl: `${baseUrl}/${projectKey}`,
    region,
    projectKey,
    scope,
  };
  return concealSecrets<CommercetoolsProvider>(provider as CommercetoolsProvider, [
    ...(base.secrets ?? [clientSecret]),
  ]);
}
