// The Norce token provider: client credentials in the form body, ApplicationId on API requests.
import { clientCredentials } from '@authwire/core';
import {
  concealSecrets,
  credential,
  type FetchContext,
  invalidOption,
  labelOf,
  matching,
  oneOf,
  overrideUrl,
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
  /** The installation's client name and region: the host labels, validated and lower-cased. */
  readonly clientName: string | undefined;
  readonly region: string;
  /** Where the token URL came from: the host labels, the Storm identity, or the `tokenUrl` option. */
  readonly tokenUrlFrom: 'labels' | 'storm' | 'tokenUrl';
  readonly hostNotFoundHint: string;
  headers(token: Token): Readonly<Record<string, string>>;
}

/** docs.norce.io "Accessing APIs with OAuth2 accounts": client credentials, posted in a form body. */
const TOKEN_PATH = '/identity/1.0/connect/token';

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
export function norceProvider(options: NorceProviderOptions): NorceProvider {
  if (typeof options !== 'object' || options === null)
    invalidOption('options', 'must be an object');
  return new Norce(options);
}

/**
 * The Norce provider. Every member is an own property, so a spread copy
 * (`{ ...norceProvider(o), rateLimit }`) and a DPoP-bound one (`Object.create`) keep them all; what
 * follows from the others (rate limit, label, hint, header function) is an own getter shared by
 * every tenant, reading its `this` (bench 4, "manager + token", norce()).
 */
class Norce implements NorceProvider {
  declare readonly fetchToken: TokenProvider['fetchToken'];
  declare readonly key: string;
  declare readonly label: string;
  declare readonly origins: readonly string[];
  declare readonly rateLimit: RateLimit;
  declare readonly tokenUrl: string;
  declare readonly baseUrl: string;
  declare readonly environment: NorceEnvironment;
  declare readonly scope: string;
  declare readonly applicationId: string;
  declare readonly applicationIdHeader: string;
  declare readonly clientName: string | undefined;
  declare readonly region: string;
  declare readonly tokenUrlFrom: 'labels' | 'storm' | 'tokenUrl';
  declare readonly secrets: readonly string[];
  declare readonly hostNotFoundHint: string;
  declare readonly headers: NorceProvider['headers'];
  readonly #clientId: string;
  readonly #clientSecret: string;

  constructor(options: NorceProviderOptions) {
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
    const region =
      hostLabel('region', options.region, DEFAULT_NORCE_REGION) ?? DEFAULT_NORCE_REGION;
    // `https://{clientName}.api-{region}[.{environment}]`; production has no label.
    const host = (option: string): string =>
      clientName
        ? `https://${clientName}.api-${region}${environment === 'production' ? '' : `.${environment}`}.norce.tech`
        : invalidOption('clientName', `is required unless ${option} is given`);
    this.tokenUrlFrom = options.tokenUrl !== undefined ? 'tokenUrl' : storm ? 'storm' : 'labels';
    const tokenUrl =
      options.tokenUrl === undefined
        ? storm
          ? STORM_TOKEN_URL
          : `${host('tokenUrl')}${TOKEN_PATH}`
        : overrideUrl('tokenUrl', options.tokenUrl).href;
    // Overrides for proxies and tests: no query on the API base either.
    const base = options.baseUrl === undefined ? undefined : secureUrl(options.baseUrl, 'baseUrl');
    if (base?.search || base?.hash) invalidOption('baseUrl', 'must not have a ?query or #fragment');
    const origin = base ? base.origin : host('baseUrl');

    // Only for its cache key (and the token URL's checks): the provider sends its one request
    // itself (#post), from its own fields through one bound function, not a clientCredentials
    // closure over copies of them (bench 4, "manager + token", norce(): 176 → 72 B per tenant).
    const credentials = clientCredentials({
      tokenUrl,
      clientId,
      clientSecret,
      scope,
      // Norce has always been usable wherever the caller chooses to hold its secret.
      allowBrowser: true,
    });
    this.#clientId = clientId;
    this.#clientSecret = clientSecret;
    this.fetchToken = this.#post.bind(this);
    // The client-credentials key binds the secret (an HMAC fingerprint over the token URL, query
    // included, client id and scope) and encodes each part; the application id is added in front.
    this.key = ['norce', encodeURIComponent(applicationId), credentials.key].join('|');
    this.origins = Object.freeze([origin]);
    this.tokenUrl = tokenUrl;
    this.baseUrl = base ? base.href.replace(/\/+$/, '') : origin;
    this.environment = environment;
    this.scope = scope;
    this.applicationId = applicationId;
    this.applicationIdHeader = applicationIdHeader;
    this.clientName = clientName;
    this.region = region;
    // Read when asked (the hint, text only a DNS failure shows, was ~200 B per tenant; the manager
    // keeps its own checked copy of the rate limit; the secret is in #clientSecret already).
    Object.defineProperties(this, DERIVED);
  }

  /** The secrets to redact; `provider` may be a DPoP-bound copy (`Object.create`) of a Norce. */
  static secretsOf(provider: object): readonly string[] {
    return #clientSecret in provider
      ? Object.freeze([provider.#clientSecret])
      : Norce.secretsOf(Object.getPrototypeOf(provider));
  }

  /**
   * docs.norce.io "Accessing APIs with OAuth2 accounts": grant client_credentials, "send client
   * credentials in the body", form-encoded. The lifetime comes from the answer's expires_in
   * (3600 in the text, 600 in the example), so none is assumed here.
   */
  #post(context: FetchContext): Promise<Token> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: this.scope,
      client_id: this.#clientId,
      client_secret: this.#clientSecret,
    });
    return context.request({ url: this.tokenUrl, method: 'POST', headers: FORM, body });
  }
}

const FORM = Object.freeze({ 'Content-Type': 'application/x-www-form-urlencoded' });

// util.inspect and console.log show the label, key and origins, never a secret: one rendering on
// the prototype for every tenant, whose own `secrets` below shadow the prototype's empty list.
concealSecrets(Norce.prototype as unknown as TokenProvider, []);

const DERIVED: PropertyDescriptorMap = {
  // Hidden like concealSecrets' own, read when asked: no list kept per tenant (bench 4, "manager +
  // token", norce()).
  secrets: {
    configurable: true,
    get(this: Norce) {
      return Norce.secretsOf(this);
    },
  },
  // Same page: max 3 requests per minute per IP, with a possibility to burst 20 more; 429 beyond
  // that. Keyed by the token host's origin (the API origin's own string when they are the same).
  rateLimit: {
    enumerable: true,
    get(this: Norce): RateLimit {
      const tokenOrigin = new URL(this.tokenUrl).origin;
      const [origin] = this.origins;
      const key = tokenOrigin === origin ? origin : tokenOrigin;
      return Object.freeze({ requests: 3, intervalMs: 60_000, burst: 20, key });
    },
  },
  label: {
    enumerable: true,
    get(this: Norce) {
      return labelOf('norce', this.tokenUrl);
    },
  },
  hostNotFoundHint: { enumerable: true, get: hostNotFoundHint },
  headers: { enumerable: true, get: () => applicationIdHeaders },
};

/** What to check when the token endpoint's host does not resolve. */
function hostNotFoundHint(this: Norce): string {
  if (this.tokenUrlFrom === 'tokenUrl') return 'check the tokenUrl option';
  if (this.tokenUrlFrom === 'storm') return 'check DNS and any proxy for the Storm identity host';
  return `check the clientName '${this.clientName}', region '${this.region}' and environment '${this.environment}' options (the host is {clientName}.api-{region}[.{environment}].norce.tech)`;
}

/** Same page: "make sure to send the application ID in your request header". */
function applicationIdHeaders(this: NorceProvider): Readonly<Record<string, string>> {
  return { [this.applicationIdHeader]: this.applicationId };
}
