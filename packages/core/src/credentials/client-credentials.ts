// A provider for any RFC 6749 §4.4 (client credentials) token endpoint.

import {
  checkOptions,
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
import type { FetchContext, Token, TokenProvider } from '../types.ts';
import { credentialFingerprint } from './fingerprint.ts';
import {
  basicCredential,
  boundKey,
  LIFETIME_AND_BROWSER_CHECKS,
  refuseInBrowser,
  requestParts,
} from './provider-parts.ts';

export interface ClientCredentialsOptions {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Space-delimited scopes, or a list. */
  readonly scope?: string | readonly string[];
  /** RFC 6749 §2.3.1: credentials in the form body (default) or in a Basic header. */
  readonly authMethod?: 'client_secret_post' | 'client_secret_basic';
  /**
   * Extra form parameters (e.g. `audience`, `resource`). They are bound into the cache key's
   * credential fingerprint, never written into the key in clear.
   */
  readonly extraParams?: Readonly<Record<string, string>>;
  /** Extra headers for the token request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Lifetime when the answer has neither `expires_in` nor a JWT `exp`. Default 300 000 ms. */
  readonly defaultLifetimeMs?: number;
  /** A secret or private key in a browser is readable by anyone; refused unless you say so. */
  readonly allowBrowser?: boolean;
}

const AUTH_METHODS = ['client_secret_post', 'client_secret_basic'] as const;

/** Every option of `clientCredentials`, with its check (also the list of known names). */
const CLIENT_CREDENTIALS_OPTION_CHECKS: Readonly<Record<string, OptionCheck>> =
  /* @__PURE__ */ Object.freeze({
    tokenUrl: isNonEmptyString,
    clientId: isNonEmptyString,
    clientSecret: isNonEmptyString,
    scope: /* @__PURE__ */ optional(isScope),
    authMethod: /* @__PURE__ */ optional((value, name) => {
      oneOf(name, value, AUTH_METHODS);
    }),
    extraParams: /* @__PURE__ */ optional(isStringRecord),
    headers: /* @__PURE__ */ optional(isHeaderRecord),
    ...LIFETIME_AND_BROWSER_CHECKS,
  });

/**
 * A client-credentials provider. Pass it to `createTokenManager` with the API `origins`.
 *
 * Its cache key binds the credential: readable identity parts (endpoint, client id, scope,
 * method) each URI-encoded, plus a fingerprint (HMAC-SHA-256 keyed by the client secret over the
 * whole identity, query string and extra parameters included). A manager with another secret
 * never gets this one's token; the key never contains the secret nor the token URL's query.
 *
 * @example
 * const auth = createTokenManager(
 *   clientCredentials({ tokenUrl: 'https://id.example.com/oauth2/token', clientId, clientSecret, scope: 'orders' }),
 *   { origins: ['https://api.example.com'] },
 * );
 */
export function clientCredentials(options: ClientCredentialsOptions): TokenProvider {
  pointToGrant(options);
  checkOptions(options, CLIENT_CREDENTIALS_OPTION_CHECKS, 'clientCredentials()');
  const url = secureUrl(options.tokenUrl, 'tokenUrl');
  const { clientId, clientSecret, authMethod = 'client_secret_post' } = options;
  refuseInBrowser('clientSecret', options.allowBrowser);
  const { scope, extra, headers, headerSecrets } = requestParts(options);
  const key = boundKey(
    ['client-credentials', endpointLabel(url), clientId, scope ?? '', authMethod],
    url,
    extra,
    (identity) => credentialFingerprint(clientSecret, identity),
  );
  const basic =
    authMethod === 'client_secret_basic' ? basicCredential(clientId, clientSecret) : undefined;
  // A string, not the URL: fetchToken's closure keeps it for the provider's life (bench 4).
  const tokenUrl = url.href;

  const fetchToken = (context: FetchContext): Promise<Token> => {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) body.set('scope', scope);
    for (const [name, value] of extra) body.set(name, value);
    if (!basic) {
      body.set('client_id', clientId);
      body.set('client_secret', clientSecret);
    }
    return context.request({
      url: tokenUrl,
      method: 'POST',
      headers: { ...headers, ...(basic ? { Authorization: `Basic ${basic}` } : {}) },
      body,
    });
  };
  return new ClientCredentialsProvider(
    key,
    labelOf('client-credentials', url),
    fetchToken,
    options.defaultLifetimeMs,
    [clientSecret, ...(basic ? [basic] : []), ...headerSecrets],
  );
}

/** Names `clientCredentialsGrant` when one of its options is given, instead of "unknown option". */
function pointToGrant(options: unknown): void {
  const name = ['issuer', 'privateKey', 'resource', 'audience'].find((option) =>
    Object.hasOwn(Object(options), option),
  );
  if (name !== undefined) invalidOption(name, 'is an option of clientCredentialsGrant()');
}

const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * A client-credentials provider: a class so that its fields sit inside the object and the
 * `util.inspect` rendering is one shared method (bench 4, "manager + token"). Its own
 * enumerable fields (key, label, fetchToken) still survive a spread.
 */
class ClientCredentialsProvider implements TokenProvider {
  readonly key: string;
  readonly label: string;
  readonly fetchToken: (context: FetchContext) => Promise<Token>;
  declare readonly defaultLifetimeMs?: number;
  declare readonly secrets: readonly string[];

  constructor(
    key: string,
    label: string,
    fetchToken: (context: FetchContext) => Promise<Token>,
    defaultLifetimeMs: number | undefined,
    secrets: readonly string[],
  ) {
    this.key = key;
    this.label = label;
    this.fetchToken = fetchToken;
    if (defaultLifetimeMs !== undefined) Object.assign(this, { defaultLifetimeMs });
    hide(this, 'secrets', Object.freeze([...secrets]));
  }

  [INSPECT](): string {
    return inspectProvider.call(this);
  }
}

/** What `util.inspect` / `console.log` show of a provider: label, key, origins; never a secret. */
function inspectProvider(this: TokenProvider): string {
  const { label, key, origins } = this;
  return `TokenProvider ${JSON.stringify({ label, key, ...(origins ? { origins } : {}) })}`;
}

const hide = (target: object, name: PropertyKey, value: unknown): void => {
  Object.defineProperty(target, name, { value, enumerable: false, configurable: true });
};

// Here, not in provider-parts.ts: the grants and the kit import it from this module, so the build
// puts clientCredentials in a chunk of its own instead of the root entry, and a clientCredentials
// bundle carries none of the root's own module setup (Norce + axios row: 22.98 → 22.90 kB).
/**
 * Sets `provider.secrets` as a non-enumerable property and gives the provider a custom
 * `util.inspect` / `console.log` rendering (label, key, origins) so neither shows a secret, even
 * with `showHidden`. Spreading the provider does not copy the secrets: set them again.
 *
 * @example
 * return concealSecrets({ key, label, fetchToken }, [apiKey]);
 */
export function concealSecrets<T extends TokenProvider>(
  provider: T,
  secrets: readonly string[],
): T {
  hide(provider, 'secrets', Object.freeze([...secrets]));
  hide(provider, INSPECT, inspectProvider);
  return provider;
}
