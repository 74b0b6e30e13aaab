// The Norce token provider: client credentials in the form body, ApplicationId on API requests.
import { clientCredentials } from '@authwire/core';
import {
  concealSecrets,
  credential,
  invalidOption,
  labelOf,
  matching,
  oneOf,
  type RateLimit,
  secureUrl,
  type Token,
  type TokenProvider,
} from '@authwire/core/kit';
import { defaultNorceScope, NORCE_ENVIRONMENTS, type NorceEnvironment } from './environment.ts';
import type { NorceProviderOptions } from './options.ts';
import {
  applicationIdOf,
  DEFAULT_APPLICATION_ID_HEADER,
  DEFAULT_NORCE_REGION,
  hostLabel,
  STORM_TOKEN_URL,
} from './resolve-options.ts';

/** A {@link TokenProvider} for Norce identity, with the settled URLs and scope. */
export interface NorceProvider extends TokenProvider {
  readonly origins: readonly string[];
  readonly secrets: readonly string[];
  readonly rateLimit: RateLimit;
  /** The token endpoint the provider posts to. */
  readonly tokenUrl: string;
  /** API base (no trailing slash) for the user's HTTP client. */
  readonly baseUrl: string;
  readonly environment: NorceEnvironment;
  /** The scope requested (space-delimited). */
  readonly scope: string;
  readonly applicationId: string;
  readonly applicationIdHeader: string;
  headers(token: Token): Readonly<Record<string, string>>;
}

/**
 * Builds a Norce token provider for use with `createTokenManager`. Most users want
 * {@link norce}, which also creates the manager. Validates every option synchronously: a bad
 * one throws `InvalidOptionsError` naming it (never echoing a credential) or `InsecureUrlError`.
 *
 * @example
 * ```ts
 * const provider = norceProvider({
 *   clientId, clientSecret, applicationId: 1234,
 *   environment: 'playground', clientName: 'acme', region: 'se',
 * });
 * const manager = createTokenManager(provider, {});
 * ```
 */
/** The API headers of a Norce provider (`this`): one function for every tenant, not a closure each. */
function applicationIdHeaders(this: NorceProvider): Readonly<Record<string, string>> {
  return { [this.applicationIdHeader]: this.applicationId };
}

export function norceProvider(options: NorceProviderOptions): NorceProvider {
  if (typeof options !== 'object' || options === null)
    invalidOption('options', 'must be an object');
  const clientId = credential('clientId', options.clientId);
  const clientSecret = credential('clientSecret', options.clientSecret);
  const applicationId = applicationIdOf(options.applicationId);
  const environment = oneOf('environment', options.environment, NORCE_ENVIRONMENTS);
  const { storm = false, scope: givenScope } = options;
  if (typeof storm !== 'boolean') invalidOption('storm', 'must be a boolean');
  const scope =
    givenScope === undefined
      ? defaultNorceScope(environment, storm)
      : // RFC 6749 §3.3: scope-token = 1*NQCHAR, tokens separated by single spaces.
        matching(
          'scope',
          givenScope,
          /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/,
          "space-delimited scope tokens, e.g. 'lab'",
        );
  // RFC 9110 §5.6.2 token (a valid header name), and not the one the token travels in.
  const applicationIdHeader = matching(
    'applicationIdHeader',
    options.applicationIdHeader ?? DEFAULT_APPLICATION_ID_HEADER,
    /^(?!authorization$)[!#$%&'*+.^_`|~0-9A-Za-z-]+$/i,
    'an HTTP header name other than Authorization',
  );
  // Validated even when overrides make them unused, so a typo never passes silently.
  const clientName = hostLabel('clientName', options.clientName, 'acme');
  const region = hostLabel('region', options.region, DEFAULT_NORCE_REGION) ?? DEFAULT_NORCE_REGION;

  // `https://{clientName}.api-{region}[.{environment}].norce.tech`; production has no label.
  const host = (option: string): string =>
    clientName
      ? `https://${clientName}.api-${region}${environment === 'production' ? '' : `.${environment}`}.norce.tech`
      : invalidOption('clientName', `is required unless ${option} is given`);
  // Overrides for proxies and tests: no fragment, and no query on the API base.
  const override = (option: 'tokenUrl' | 'baseUrl', value: string): string => {
    const url = secureUrl(value, option);
    const query = option === 'baseUrl' ? '?query or ' : '';
    return url.hash || (query && url.search)
      ? invalidOption(option, `must not have a ${query}#fragment`)
      : url.href;
  };
  const tokenUrl =
    options.tokenUrl === undefined
      ? storm
        ? STORM_TOKEN_URL
        : `${host('tokenUrl')}/identity/1.0/connect/token`
      : override('tokenUrl', options.tokenUrl);
  const baseUrl =
    options.baseUrl === undefined
      ? host('baseUrl')
      : override('baseUrl', options.baseUrl).replace(/\/+$/, '');
  // One string for the origin where it is the base URL too (10,000 tenants, 10,000 copies less).
  const origin = new URL(baseUrl).origin;
  const apiOrigin = origin === baseUrl ? baseUrl : origin;
  const tokenOrigin = new URL(tokenUrl).origin;

  const base = clientCredentials({
    tokenUrl,
    clientId,
    clientSecret,
    scope,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    // Norce has always been usable wherever the caller chooses to hold its secret.
    allowBrowser: true,
  });
  const provider: Omit<NorceProvider, 'secrets'> = {
    // docs.norce.io "Accessing APIs with OAuth2 accounts": grant client_credentials, "send client
    // credentials in the body", form-encoded. The lifetime comes from the answer's expires_in
    // (3600 in the text, 600 in the example), so none is assumed here.
    fetchToken: base.fetchToken,
    // The client-credentials key binds the secret (an HMAC fingerprint over the token URL, query
    // included, client id and scope) and encodes each part; the application id is added in front.
    // Joined, not concatenated: one flat string rather than a rope of three.
    key: ['norce', encodeURIComponent(applicationId), base.key].join('|'),
    label: labelOf('norce', tokenUrl),
    hostNotFoundHint:
      options.tokenUrl !== undefined
        ? 'check the tokenUrl option'
        : storm
          ? 'check DNS and any proxy for the Storm identity host'
          : `check the clientName '${clientName}', region '${region}' and environment '${environment}' options (the host is {clientName}.api-{region}[.{environment}].norce.tech)`,
    origins: Object.freeze([apiOrigin]),
    // Same page: max 3 requests per minute per IP, with a possibility to burst 20 more; 429
    // beyond that.
    rateLimit: Object.freeze({
      requests: 3,
      intervalMs: 60_000,
      burst: 20,
      key: tokenOrigin === apiOrigin ? apiOrigin : tokenOrigin,
    }),
    tokenUrl,
    baseUrl,
    environment,
    scope,
    applicationId,
    applicationIdHeader,
    // Same page: "make sure to send the application ID in your request header".
    headers: applicationIdHeaders,
  };
  return concealSecrets<NorceProvider>(provider as NorceProvider, [clientSecret]);
}
