// What both grants share: the token endpoint (given or discovered), the client authentication, the target (scope, resource, audience), the cache key, and one authenticated request.

import {
  checkOptions,
  describeValue,
  invalidOption,
  isHeaderRecord,
  isNonEmptyString,
  isScope,
  isStringRecord,
  type OptionCheck,
  oneOf,
  optional,
} from '../options/validate.ts';
import { endpointLabel, labelOf, secureUrl } from '../request/origins.ts';
import type { FetchContext, Token, TokenProvider, TokenRequest } from '../types.ts';
import {
  CLIENT_AUTH_METHODS,
  ClientAuth,
  type ClientAuthMethod,
  type ClientAuthOptions,
} from './client-auth.ts';
import { concealSecrets } from './client-credentials.ts';
import { discover } from './discovery.ts';
import { DiscoveryError } from './grant-errors.ts';
import { ASSERTION_ALGORITHMS } from './jws.ts';
import { boundKey, type RequestParts, requestParts } from './provider-parts.ts';

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

const isStringList =
  (what: string, test: (item: string) => boolean): OptionCheck =>
  (value, name) => {
    const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
    if (
      !items ||
      items.length === 0 ||
      !items.every((item) => typeof item === 'string' && test(item))
    ) {
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
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
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

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : [...value];

/** One grant's endpoint, credential and target, resolved once when the provider is built. */
export class GrantEndpoint {
  readonly auth: ClientAuth;
  /** Everything to scrub from what the server sends back: the credential, credential headers. */
  readonly secrets: readonly string[];
  /** `<grant> <host><path>` of the token URL or the issuer: never a secret, never a query. */
  readonly label: string;
  readonly #grant: string;
  readonly #issuer: string | undefined;
  /** The token URL, or the issuer when the token URL is discovered. */
  readonly #where: URL;
  readonly #parts: RequestParts;
  readonly #resources: readonly string[];
  readonly #audiences: readonly string[];

  constructor(
    grant: string,
    options: GrantOptions,
    where: string,
    checks: Readonly<Record<string, OptionCheck>>,
  ) {
    checkOptions(options, checks, where);
    if ((options.tokenUrl === undefined) === (options.issuer === undefined)) {
      invalidOption('tokenUrl', 'or issuer must be given (exactly one of them)');
    }
    this.#where =
      options.issuer !== undefined
        ? secureUrl(options.issuer, 'issuer')
        : secureUrl(options.tokenUrl, 'tokenUrl');
    this.#issuer = options.issuer;
    if (options.assertionAudience === 'issuer' && options.issuer === undefined) {
      invalidOption('assertionAudience', "'issuer' needs the issuer option");
    }
    this.auth = new ClientAuth(options);
    this.#grant = grant;
    this.#parts = requestParts(options);
    this.#resources = list(options.resource);
    this.#audiences = list(options.audience);
    this.label = labelOf(grant, this.#where);
    this.secrets = [...this.auth.secrets, ...this.#parts.headerSecrets];
  }

  /**
   * The cache key: readable parts (grant, endpoint, client id, scope, resources, audiences,
   * method, `visibleExtra`), then the credential binding over everything.
   */
  key(visibleExtra: readonly string[] = []): string {
    const visible = [
      this.#grant,
      endpointLabel(this.#where),
      this.auth.clientId,
      this.#parts.scope ?? '',
      this.#resources.join(' '),
      this.#audiences.join(' '),
      this.auth.shownMethod,
      ...visibleExtra,
    ];
    return boundKey(visible, this.#where, this.#parts.extra, this.auth.binding);
  }

  /** The grant's provider: `key`, this endpoint's label, `fetchToken`, the secrets concealed. */
  provider(
    key: string,
    fetchToken: (context: FetchContext) => Promise<Token>,
    defaultLifetimeMs: number | undefined,
  ): TokenProvider {
    const provider = { key, label: this.label, fetchToken };
    return concealSecrets(
      defaultLifetimeMs === undefined ? provider : { ...provider, defaultLifetimeMs },
      this.secrets,
    );
  }

  /** The form body of a request for `grantType`, with the target parameters. */
  body(grantType: string): URLSearchParams {
    const body = new URLSearchParams({ grant_type: grantType });
    const { scope, extra } = this.#parts;
    if (scope) body.set('scope', scope);
    for (const resource of this.#resources) body.append('resource', resource);
    for (const audience of this.#audiences) body.append('audience', audience);
    for (const [name, value] of extra) body.set(name, value);
    return body;
  }

  /** The request with the client's credential, to the given or discovered token endpoint. */
  async request(context: FetchContext, body: URLSearchParams): Promise<TokenRequest> {
    const now = context.now?.() ?? Date.now();
    const { url, method } = await this.#endpoint(context, now);
    const headers: Record<string, string> = { ...this.#parts.headers };
    await this.auth.apply(method, body, headers, {
      tokenEndpoint: url,
      issuer: this.#issuer,
      now,
    });
    return { url, method: 'POST', headers, body };
  }

  /** The token URL given, or the discovered one with the method chosen from the server's list. */
  async #endpoint(
    context: FetchContext,
    now: number,
  ): Promise<{ readonly url: string; readonly method: ClientAuthMethod }> {
    const issuer = this.#issuer;
    if (issuer === undefined) {
      return { url: this.#where.href, method: this.auth.method(undefined, false) ?? 'none' };
    }
    const metadata = await discover(issuer, context, now);
    const method = this.auth.method(metadata.authMethods, true);
    if (method === undefined) {
      throw new DiscoveryError(
        issuer,
        'the server lists none of the client_secret methods; set authMethod',
      );
    }
    return { url: metadata.tokenEndpoint, method };
  }
}
