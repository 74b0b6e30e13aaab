// What both grants share: the token endpoint (given or discovered), the client authentication, the target (scope, resource, audience), the cache key, and one authenticated request.

import {
  checkOptions,
  describeValue,
  invalidOption,
  isHeaderRecord,
  isNonEmptyString,
  isRecord,
  isScope,
  isStringRecord,
  type OptionCheck,
  oneOf,
  optional,
} from '../options/validate.ts';
import { endpointLabel, labelOf, secureUrl } from '../request/origins.ts';
import type { FetchContext, Token, TokenProvider, TokenRequest } from '../types.ts';
import { CLIENT_AUTH_METHODS, ClientAuth, type ClientAuthOptions } from './client-auth.ts';
import { concealSecrets } from './client-credentials.ts';
import { discover } from './discovery.ts';
import { DiscoveryError } from './grant-errors.ts';
import { ASSERTION_ALGORITHMS } from './jws.ts';
import { boundKey, requestParts } from './provider-parts.ts';

/** The token endpoint: given (`tokenUrl`) or discovered from the issuer's metadata (`issuer`). */
export type EndpointOptions =
  | { readonly tokenUrl: string; readonly issuer?: undefined }
  | { readonly issuer: string; readonly tokenUrl?: undefined };

/** What the token is for. Each distinct target is its own cached token. */
export interface TargetOptions {
  /** Space-delimited scopes, or a list. */
  readonly scope?: string | readonly string[];
  /** RFC 8707 resource indicators: absolute URIs without a fragment, one or several. */
  readonly resource?: string | readonly string[];
  /** `audience`, where a server names the API that way (Auth0, Keycloak token exchange, ...). */
  readonly audience?: string | readonly string[];
  /** Extra form parameters; bound into the cache key's fingerprint, never shown in it. */
  readonly extraParams?: Readonly<Record<string, string>>;
  /** Extra headers for the token request. */
  readonly headers?: Readonly<Record<string, string>>;
}

export type GrantOptions = EndpointOptions & ClientAuthOptions & TargetOptions;

/** A string, or a non-empty list of strings, each passing `test`. */
const isStringList =
  (what: string, test: (item: string) => boolean): OptionCheck =>
  (value, name) => {
    const items: unknown = typeof value === 'string' ? [value] : value;
    const ok = Array.isArray(items) && items.length > 0;
    if (!ok || !items.every((item) => typeof item === 'string' && test(item))) {
      invalidOption(
        name,
        `must be ${what} or a non-empty list of them; got ${describeValue(value)}`,
      );
    }
  };

/** RFC 8707 §2: an absolute URI with no fragment. */
const isResourceUri = (item: string): boolean => {
  try {
    return new URL(item).hash === '' && !item.includes('#');
  } catch {
    return false;
  }
};

/** The checks every grant shares plus its own (a function so that bundlers can drop unused grants). */
export function grantChecks(
  own: Readonly<Record<string, OptionCheck>>,
): Readonly<Record<string, OptionCheck>> {
  const text = optional(isNonEmptyString);
  const among = (values: readonly string[]) =>
    optional((value, name) => {
      oneOf(name, value, values);
    });
  return Object.freeze({
    tokenUrl: text,
    issuer: text,
    clientId: isNonEmptyString,
    clientSecret: text,
    privateKey: optional((value, name) => {
      if (!isRecord(value)) {
        invalidOption(name, `must be a private JWK or a CryptoKey; got ${describeValue(value)}`);
      }
    }),
    keyId: text,
    certificateThumbprint: text,
    algorithm: among(ASSERTION_ALGORITHMS),
    authMethod: among(CLIENT_AUTH_METHODS),
    assertionAudience: among(['token_endpoint', 'issuer']),
    scope: optional(isScope),
    resource: optional(isStringList('an absolute URI without a fragment', isResourceUri)),
    audience: optional(isStringList('a non-empty string', (item) => item.trim() !== '')),
    extraParams: optional(isStringRecord),
    headers: optional(isHeaderRecord),
    ...own,
  });
}

const list = (value: string | readonly string[] = []): readonly string[] =>
  typeof value === 'string' ? [value] : [...value];

/** One grant's endpoint, credential and target, resolved once when the provider is built. */
export interface GrantEndpoint {
  readonly auth: ClientAuth;
  /** Everything to scrub from what the server sends back: the credential, credential headers. */
  readonly secrets: readonly string[];
  /**
   * The cache key: readable parts (grant, endpoint, client id, scope, resources, audiences,
   * method, `visibleExtra`), then the credential binding over everything.
   */
  key(visibleExtra?: readonly string[]): string;
  /** The grant's provider: `key`, the endpoint's label, `fetchToken`, the secrets concealed. */
  provider(
    key: string,
    fetchToken: (context: FetchContext) => Promise<Token>,
    defaultLifetimeMs: number | undefined,
  ): TokenProvider;
  /**
   * A request for `grantType` with the target parameters and `form`, carrying the client's
   * credential, to the token URL given, or to the discovered one with the method chosen from the
   * server's list.
   */
  request(
    context: FetchContext,
    grantType: string,
    form?: Readonly<Record<string, string>>,
  ): Promise<TokenRequest>;
}

export function grantEndpoint(
  grant: string,
  options: GrantOptions,
  where: string,
  checks: Readonly<Record<string, OptionCheck>>,
): GrantEndpoint {
  checkOptions(options, checks, where);
  const { tokenUrl, issuer } = options;
  if ((tokenUrl === undefined) === (issuer === undefined)) {
    invalidOption('tokenUrl', 'or issuer must be given (exactly one of them)');
  }
  // The token URL, or the issuer when the token URL is discovered.
  const url = issuer !== undefined ? secureUrl(issuer, 'issuer') : secureUrl(tokenUrl, 'tokenUrl');
  if (options.assertionAudience === 'issuer' && issuer === undefined) {
    invalidOption('assertionAudience', "'issuer' needs the issuer option");
  }
  const auth = new ClientAuth(options);
  const { scope, extra, headers, headerSecrets } = requestParts(options);
  const resources = list(options.resource);
  const audiences = list(options.audience);
  // `<grant> <host><path>` of the token URL or the issuer: never a secret, never a query.
  const label = labelOf(grant, url);
  const secrets = [...auth.secrets, ...headerSecrets];
  return {
    auth,
    secrets,
    key: (visibleExtra = []) => {
      const { clientId, shownMethod, binding } = auth;
      const targets = [scope ?? '', resources.join(' '), audiences.join(' ')];
      const visible = [grant, endpointLabel(url), clientId, ...targets, shownMethod];
      return boundKey([...visible, ...visibleExtra], url, extra, binding);
    },
    provider: (key, fetchToken, defaultLifetimeMs) => {
      const lifetime = defaultLifetimeMs === undefined ? {} : { defaultLifetimeMs };
      return concealSecrets({ key, label, fetchToken, ...lifetime }, secrets);
    },
    request: async (context, grantType, form = {}) => {
      const body = new URLSearchParams({ grant_type: grantType });
      if (scope) body.set('scope', scope);
      for (const resource of resources) body.append('resource', resource);
      for (const audience of audiences) body.append('audience', audience);
      for (const [name, value] of [...extra, ...Object.entries(form)]) body.set(name, value);
      const now = context.now?.() ?? Date.now();
      let tokenEndpoint = url.href;
      let method = auth.method(undefined, false) ?? 'none';
      if (issuer !== undefined) {
        const metadata = await discover(issuer, context, now);
        const chosen = auth.method(metadata.authMethods, true);
        if (chosen === undefined) {
          throw new DiscoveryError(
            issuer,
            'the server lists none of the client_secret methods; set authMethod',
          );
        }
        tokenEndpoint = metadata.tokenEndpoint;
        method = chosen;
      }
      const sent: Record<string, string> = { ...headers };
      await auth.apply(method, body, sent, { tokenEndpoint, issuer, now });
      return { url: tokenEndpoint, method: 'POST', headers: sent, body };
    },
  };
}
