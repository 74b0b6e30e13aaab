// A provider for any RFC 6749 §4.4 (client credentials) token endpoint.
import type { TokenProvider } from './types.ts';
import { secureUrl } from './url.ts';
import { invalidOption, oneOf } from './validate.ts';

export interface ClientCredentialsOptions {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Space-delimited scopes, or a list. */
  readonly scope?: string | readonly string[];
  /** RFC 6749 §2.3.1: credentials in the form body (default) or in a Basic header. */
  readonly authMethod?: 'client_secret_post' | 'client_secret_basic';
  /** Extra form parameters (e.g. `audience`, `resource`). Never put secrets here: they are part of the cache key. */
  readonly extraParams?: Readonly<Record<string, string>>;
  /** Extra headers for the token request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Lifetime when the answer has neither `expires_in` nor a JWT `exp`. Default 300 000 ms. */
  readonly defaultLifetimeMs?: number;
  /** A client secret in a browser is readable by anyone; refused unless you say so. */
  readonly allowBrowser?: boolean;
}

/**
 * A client-credentials provider. Pass it to `createTokenManager` with the API `origins`.
 *
 * @example
 * const auth = createTokenManager(
 *   clientCredentials({ tokenUrl: 'https://id.example.com/oauth2/token', clientId, clientSecret, scope: 'orders' }),
 *   { origins: ['https://api.example.com'] },
 * );
 */
export function clientCredentials(options: ClientCredentialsOptions): TokenProvider {
  const tokenUrl = secureUrl(requireString(options?.tokenUrl, 'tokenUrl'), 'tokenUrl').href;
  const clientId = requireString(options.clientId, 'clientId');
  const clientSecret = requireString(options.clientSecret, 'clientSecret');
  const authMethod = oneOf('authMethod', options.authMethod ?? 'client_secret_post', [
    'client_secret_post',
    'client_secret_basic',
  ]);
  if (isBrowserLike() && !options.allowBrowser) {
    invalidOption('clientSecret', 'must not be used in a browser unless allowBrowser: true');
  }
  const scope = typeof options.scope === 'string' ? options.scope.trim() : options.scope?.join(' ');
  const extra = Object.entries(options.extraParams ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const key = [
    'client_credentials',
    tokenUrl,
    clientId,
    scope ?? '',
    authMethod,
    new URLSearchParams(extra).toString(),
  ].join('|');

  const basic =
    authMethod === 'client_secret_basic'
      ? base64(`${formEncode(clientId)}:${formEncode(clientSecret)}`)
      : undefined;
  return {
    key,
    secrets: basic ? [clientSecret, basic] : [clientSecret],
    ...(options.defaultLifetimeMs === undefined
      ? {}
      : { defaultLifetimeMs: options.defaultLifetimeMs }),
    fetchToken(context) {
      const body = new URLSearchParams({ grant_type: 'client_credentials' });
      if (scope) body.set('scope', scope);
      for (const [name, value] of extra) body.set(name, value);
      const headers: Record<string, string> = { ...options.headers };
      if (authMethod === 'client_secret_basic') {
        // RFC 6749 §2.3.1: form-urlencode each part before base64.
        headers.Authorization = `Basic ${basic}`;
      } else {
        body.set('client_id', clientId);
        body.set('client_secret', clientSecret);
      }
      return context.request({ url: tokenUrl, method: 'POST', headers, body });
    },
  };
}

function requireString(value: unknown, option: string): string {
  return typeof value === 'string' && value.trim() !== ''
    ? value
    : invalidOption(option, 'must be a non-empty string');
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function isBrowserLike(): boolean {
  const g = globalThis as { window?: { document?: unknown } };
  return typeof g.window === 'object' && typeof g.window?.document === 'object';
}
