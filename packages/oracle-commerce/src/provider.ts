// The Oracle Commerce Cloud token provider: application-key login, token refresh, logout.
import { type FetchContext, isAuthwireError, type Token, type TokenProvider } from '@authwire/core';
import type { OracleCommerceApi } from './api.ts';
import type { OracleCommerceProviderOptions } from './options.ts';
import { parseOracleError } from './parse-error.ts';
import { resolveOracleCommerceOptions } from './resolve-options.ts';

/** Lifetime of an application-key token when the answer has neither `expires_in` nor `exp`. */
// docs.oracle.com (17.12+): tokens obtained with an application key expire after 5 minutes.
export const ORACLE_COMMERCE_DEFAULT_LIFETIME_MS = 300_000;

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

const FORM = 'application/x-www-form-urlencoded';

/**
 * Whether a failed `/refresh` should give way to a fresh login: the server refused the token
 * (4xx, not retryable) or answered 2xx without a usable one. Network errors, 5xx, rate limits,
 * timeouts and aborts are rethrown so the manager's back-off handles them.
 */
function refreshRejected(error: unknown): boolean {
  if (!isAuthwireError(error)) return false;
  if (error.code === 'invalid_token_response') return true;
  return (
    error.code === 'token_request_failed' && (error as { retryable?: unknown }).retryable === false
  );
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
  const resolved = resolveOracleCommerceOptions(options);
  const { applicationKey, loginUrl, refreshUrl, logoutUrl } = resolved;
  const key = [resolved.baseUrl, resolved.api, resolved.applicationSubject ?? '']
    .map(encodeURIComponent)
    .join('|');

  const login = (context: FetchContext): Promise<Token> =>
    // docs.oracle.com "Use the application key for authentication": POST …/login, form body
    // grant_type=client_credentials, Authorization: Bearer <application key>.
    context.request({
      url: loginUrl,
      method: 'POST',
      headers: { Authorization: `Bearer ${applicationKey}`, 'Content-Type': FORM },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
      parseError: parseOracleError,
    });

  const refresh = (context: FetchContext, current: Token): Promise<Token> =>
    // docs.oracle.com "Refresh an access token": POST …/refresh with the current access token
    // as the bearer, no body; the application key is not sent again.
    context.request({
      url: refreshUrl,
      method: 'POST',
      headers: { Authorization: `Bearer ${current.accessToken}` },
      parseError: parseOracleError,
    });

  return {
    key: `oracle-commerce|${key}`,
    origins: Object.freeze([resolved.baseUrl]),
    secrets: Object.freeze([applicationKey]),
    defaultLifetimeMs: ORACLE_COMMERCE_DEFAULT_LIFETIME_MS,
    baseUrl: resolved.baseUrl,
    api: resolved.api,
    apiUrl: resolved.apiUrl,
    loginUrl,
    refreshUrl,
    logoutUrl,
    async fetchToken(context: FetchContext): Promise<Token> {
      // Only a refresh-ahead refreshes. After a 401 (`unauthorized`) the current token is the
      // one the server rejected, so refreshing with it cannot work: log in again. A refresh
      // invalidates the previous token server-side; the manager's single-flight serialises them.
      const { current } = context;
      if (context.reason !== 'refresh' || current === undefined) return login(context);
      try {
        return await refresh(context, current);
      } catch (error) {
        if (!refreshRejected(error) || context.signal.aborted) throw error;
        return login(context);
      }
    },
    async revoke(token: Token, context: Omit<FetchContext, 'reason' | 'current'>): Promise<void> {
      // REST reference: POST …/logout answers { "result": true }; non-2xx throws a typed error.
      await context.send({
        url: logoutUrl,
        method: 'POST',
        headers: { Authorization: `Bearer ${token.accessToken}` },
        parseError: parseOracleError,
      });
    },
  };
}
