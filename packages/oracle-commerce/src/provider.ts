// The Oracle Commerce Cloud token provider: application-key login, token refresh, logout.
import { isAuthwireError } from '@authwire/core';
import {
  concealSecrets,
  type FetchContext,
  invalidOption,
  labelOf,
  oneOf,
  secureUrl,
  type Token,
  type TokenProvider,
} from '@authwire/core/kit';
import { ORACLE_COMMERCE_APIS, type OracleCommerceApi, oracleCommerceApiPath } from './api.ts';
import { applicationKeyFingerprint, validateApplicationKey } from './application-key.ts';
import type { OracleCommerceProviderOptions } from './options.ts';
import { parseOracleError } from './parse-error.ts';

/** Lifetime of an application-key token when the answer has neither `expires_in` nor `exp`. */
// docs.oracle.com (17.12+): tokens obtained with an application key expire after 5 minutes.
export const ORACLE_COMMERCE_DEFAULT_LIFETIME_MS = 300_000;

/** Oracle refused the refresh (a 4xx, or a 2xx without a usable token): login is the answer. */
function isRefused(error: { code: string; retryable?: unknown }): boolean {
  return (
    error.code === 'invalid_token_response' ||
    (error.code === 'token_request_failed' && error.retryable === false)
  );
}

/** The refresh endpoint did not answer usefully: a 5xx, a network failure, a timeout. */
function isDown(error: { code: string; retryable?: unknown }): boolean {
  return (
    error.code === 'timeout' || (error.code === 'token_request_failed' && error.retryable === true)
  );
}

/** A {@link TokenProvider} for Oracle Commerce Cloud, with the settled endpoints. */
export interface OracleCommerceProvider extends TokenProvider {
  readonly origins: readonly string[];
  readonly secrets: readonly string[];
  readonly defaultLifetimeMs: number;
  /** The instance origin (no trailing slash). */
  readonly baseUrl: string;
  readonly api: OracleCommerceApi;
  /** `{baseUrl}/cc{api}/v1`, the base for API calls. */
  readonly apiUrl: string;
  readonly loginUrl: string;
  readonly refreshUrl: string;
  readonly logoutUrl: string;
  revoke(token: Token, context: Omit<FetchContext, 'reason' | 'current'>): Promise<void>;
}

/**
 * Builds an Oracle Commerce Cloud token provider for use with `createTokenManager`. Most users
 * want {@link oracleCommerce}, which also creates the manager. Validates every option
 * synchronously.
 *
 * @example
 * ```ts
 * const provider = oracleCommerceProvider({
 *   baseUrl: 'https://ccadmin-z1ab.oracleoutsourcing.com',
 *   applicationKey: process.env.OCC_APP_KEY!,
 * });
 * const manager = createTokenManager(provider, {});
 * ```
 */
export function oracleCommerceProvider(
  options: OracleCommerceProviderOptions,
): OracleCommerceProvider {
  if (typeof options !== 'object' || options === null)
    invalidOption('options', 'must be an object');
  const url = secureUrl(options.baseUrl, 'baseUrl');
  if (url.pathname !== '/' || url.search || url.hash) {
    invalidOption('baseUrl', 'must be the instance origin, without a path, query or fragment');
  }
  const baseUrl = url.origin;
  const applicationKey = validateApplicationKey(options.applicationKey);
  const api = oneOf('api', options.api ?? 'admin', ORACLE_COMMERCE_APIS);
  const apiUrl = baseUrl + oracleCommerceApiPath(api);
  // docs.oracle.com "Use the application key for authentication", "Refresh an access token",
  // REST reference (logout): the same three endpoints exist in every API family.
  const loginUrl = `${apiUrl}/login`;
  const refreshUrl = `${apiUrl}/refresh`;
  const logoutUrl = `${apiUrl}/logout`;
  // A POST to `url` with `bearer` as the credentials, Oracle's error bodies understood.
  const post = (url: string, bearer: string, body?: URLSearchParams) => ({
    url,
    method: 'POST' as const,
    headers: body
      ? { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/x-www-form-urlencoded' }
      : { Authorization: `Bearer ${bearer}` },
    ...(body ? { body } : {}),
    parseError: parseOracleError,
  });
  // docs.oracle.com "Use the application key for authentication": POST …/login, form body
  // grant_type=client_credentials, Authorization: Bearer <application key>.
  const login = (context: FetchContext): Promise<Token> =>
    context.request(
      post(loginUrl, applicationKey, new URLSearchParams({ grant_type: 'client_credentials' })),
    );

  /** The token (issued/expiry times, not the token) whose last /refresh found the endpoint down. */
  let refreshDown: string | undefined;

  const provider: Omit<OracleCommerceProvider, 'secrets'> = {
    // Bound to the whole application key (never its unverified `sub`: a forged `alg: none` key
    // with the same `sub` must not get this key's token); each part URI-encoded.
    key: `oracle-commerce|${[baseUrl, api].map(encodeURIComponent).join('|')}|${applicationKeyFingerprint(applicationKey, loginUrl)}`,
    label: labelOf('oracle-commerce', loginUrl),
    hostNotFoundHint:
      'check the baseUrl option (your instance origin, e.g. https://ccadmin-z1ab.oracleoutsourcing.com)',
    origins: Object.freeze([baseUrl]),
    defaultLifetimeMs: ORACLE_COMMERCE_DEFAULT_LIFETIME_MS,
    // Whether /refresh revokes the token it replaces is undocumented (PLATFORMS.md); assume it
    // does, so the manager holds new callers for the refresh instead of sending a dying token.
    refreshRevokesPrevious: true,
    baseUrl,
    api,
    apiUrl,
    loginUrl,
    refreshUrl,
    logoutUrl,
    async fetchToken(context) {
      // Only a refresh-ahead refreshes. After a 401 (`unauthorized`) the current token is the
      // one the server rejected, so refreshing with it cannot work: log in again. A refresh
      // invalidates the previous token server-side; the manager's single-flight serialises them.
      const { current } = context;
      if (context.reason !== 'refresh' || !current) return login(context);
      try {
        // docs.oracle.com "Refresh an access token": POST …/refresh with the current access
        // token as the bearer, no body; the application key is not sent again.
        const token = await context.request(post(refreshUrl, current.accessToken));
        refreshDown = undefined;
        return token;
      } catch (error) {
        if (context.signal.aborted || !isAuthwireError(error)) throw error;
        // A refused refresh (4xx, not retryable, or a 2xx without a usable token) gives way to
        // a fresh login.
        if (isRefused(error)) return login(context);
        // A /refresh that is down (5xx, no answer, a timeout) is retried by the manager's back-off
        // once; when it fails again for the same token, log in: login may well be up, and the old
        // token must not run out while /refresh stays down. Rate limits and aborts are rethrown.
        if (!isDown(error)) throw error;
        const failing = `${current.issuedAt}:${current.expiresAt}`;
        if (refreshDown !== failing) {
          refreshDown = failing;
          throw error;
        }
        refreshDown = undefined;
        return login(context);
      }
    },
    async revoke(token, context) {
      // REST reference: POST …/logout answers { "result": true }; non-2xx throws a typed error.
      await context.send(post(logoutUrl, token.accessToken));
    },
  };
  return concealSecrets<OracleCommerceProvider>(provider as OracleCommerceProvider, [
    applicationKey,
  ]);
}
