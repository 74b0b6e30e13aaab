// The Norce token provider: client credentials in the form body, ApplicationId on API requests.
import type { FetchContext, RateLimit, Token, TokenProvider } from '@authwire/core';
import type { NorceEnvironment } from './environment.ts';
import type { NorceProviderOptions } from './options.ts';
import { resolveNorceOptions } from './resolve-options.ts';

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
 * {@link norce}, which also creates the manager. Validates every option synchronously.
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
  const resolved = resolveNorceOptions(options);
  const { clientId, clientSecret, scope, tokenUrl, applicationId, applicationIdHeader } = resolved;
  const key = [tokenUrl, clientId, applicationId, scope].map(encodeURIComponent).join('|');
  const apiHeaders: Readonly<Record<string, string>> = Object.freeze({
    [applicationIdHeader]: applicationId,
  });

  return {
    key: `norce|${key}`,
    origins: Object.freeze([resolved.apiOrigin]),
    secrets: Object.freeze([clientSecret]),
    // docs.norce.io "Accessing APIs with OAuth2 accounts": max 3 requests per minute per IP,
    // with a possibility to burst 20 more; 429 beyond that.
    rateLimit: Object.freeze({
      requests: 3,
      intervalMs: 60_000,
      burst: 20,
      key: new URL(tokenUrl).origin,
    }),
    tokenUrl,
    baseUrl: resolved.baseUrl,
    environment: resolved.environment,
    scope,
    applicationId,
    applicationIdHeader,
    fetchToken(context: FetchContext): Promise<Token> {
      // Same docs page: grant client_credentials, "send client credentials in the body",
      // form-encoded. The lifetime comes from the answer's expires_in (3600 in the text, 600 in
      // the example), so none is assumed here.
      return context.request({
        url: tokenUrl,
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          scope,
        }),
      });
    },
    // Same docs page: "make sure to send the application ID in your request header".
    headers(): Readonly<Record<string, string>> {
      return apiHeaders;
    },
  };
}
