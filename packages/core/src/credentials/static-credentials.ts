// A TokenManager for APIs that take fixed credential headers (VTEX app key/token, BigCommerce
// X-Auth-Token): no token endpoint, but the same origin scoping, redirect stripping and redaction.
import { ClosedError } from '../errors/errors.ts';
import type { TokenManager } from '../manager/manager-types.ts';
import { checkOrigins } from '../options/manager-options.ts';
import {
  checkOptions,
  invalidOption,
  isHeaderRecord,
  isNonEmptyString,
  optional,
} from '../options/validate.ts';
import { allowedOrigins, isAllowedOrigin } from '../request/origins.ts';
import type { Authorization, Token } from '../types.ts';
import { cacheKey, credentialFingerprint } from './fingerprint.ts';

export interface StaticCredentialsOptions {
  /**
   * The credential headers, sent as they are to `origins` only, e.g.
   * `{ 'X-VTEX-API-AppKey': key, 'X-VTEX-API-AppToken': token }`. The first one is what
   * `getToken()` resolves to and what the request seam knows a request by.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Origins (`https://acme.vtexcommercestable.com.br`) the headers may be sent to. */
  readonly origins: readonly string[];
  /** A readable name for messages and metrics (never a secret). Default `static <first origin>`. */
  readonly label?: string;
}

const OPTION_CHECKS = {
  headers: isHeaderRecord,
  origins: () => {},
  // Pure: an application without staticCredentials bundles none of it.
  label: /* @__PURE__ */ optional(isNonEmptyString),
};

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A TokenManager over fixed credential headers, for every adapter and `authFetch`: the headers
 * go to `origins` only, are stripped when a redirect leaves them and redacted from errors. There
 * is nothing to refresh, so a 401 is handed to the caller (the credential is wrong or revoked).
 * `getToken()` resolves to the first header's value; the headers are never enumerable, inspected
 * or serialised.
 *
 * @example
 * ```ts
 * const vtex = staticCredentials({
 *   headers: { 'X-VTEX-API-AppKey': appKey, 'X-VTEX-API-AppToken': appToken },
 *   origins: ['https://acme.vtexcommercestable.com.br'],
 * });
 * const fetchVtex = authFetch(vtex);
 * ```
 */
export function staticCredentials(options: StaticCredentialsOptions): TokenManager {
  checkOptions(options, OPTION_CHECKS, 'staticCredentials()');
  const names = Object.keys(options.headers);
  const lower = names.map((name) => name.toLowerCase());
  if (names.length === 0) invalidOption('headers', 'must name at least one header');
  if (new Set(lower).size !== lower.length) {
    invalidOption('headers', 'names a header twice (header names are case-insensitive)');
  }
  const origins = allowedOrigins(checkOrigins(options.origins));
  const label = options.label ?? `static ${new URL(origins[0] as string).host}`;
  const headers = Object.freeze({ ...options.headers });
  // The key binds every value (an HMAC keyed by them), so two credentials never share one.
  const visible = ['static', ...origins, ...lower];
  const values = Object.values(headers).join('\n');
  const key = cacheKey([...visible, credentialFingerprint(values, cacheKey(visible))]);
  // A fixed credential never expires on our side; the API's 401 is the caller's answer.
  const token: Token = Object.freeze({
    accessToken: headers[names[0] as string] as string,
    tokenType: 'static',
    issuedAt: 0,
    expiresAt: Number.MAX_SAFE_INTEGER,
  });
  const authorization: Authorization = Object.freeze({ token, headers });
  let closed = false;
  /** `answer()`, or a ClosedError once closed. */
  const open = <T>(answer: () => T): Promise<T> =>
    closed ? Promise.reject(new ClosedError()) : Promise.resolve(answer());
  return {
    key,
    label,
    origins,
    getToken: () => open(() => token),
    invalidate: () => Promise.resolve(),
    authorize: (url) => open(() => (isAllowedOrigin(origins, url) ? authorization : undefined)),
    // Nothing to refresh: the 401 goes to the caller.
    reauthorize: () => open(() => undefined),
    subscribe: () => () => {},
    close: () => {
      closed = true;
      return Promise.resolve();
    },
    toJSON: () => ({ label, origins }),
    [INSPECT]: () => `StaticCredentials { label: '${label}', origins: ${JSON.stringify(origins)} }`,
  } as TokenManager;
}
