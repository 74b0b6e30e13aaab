// RFC 6749 §6 refresh_token grant for a long-lived refresh token, rotated safely across a fleet.

import { readTokenResponse } from '../endpoint/token-response.ts';
import {
  isBoolean,
  isFunction,
  isNonEmptyString,
  isNumber,
  type OptionCheck,
  optional,
} from '../options/validate.ts';
import { endpointLabel } from '../request/origins.ts';
import type { FetchContext, Token, TokenProvider } from '../types.ts';
import type { ClientCredentialsOptions } from './client-credentials.ts';
import { credentialFingerprint } from './fingerprint.ts';
import { type GrantOptions, grantChecks, grantEndpoint } from './grant-endpoint.ts';
import { InvalidGrantError, refineEndpointError } from './grant-errors.ts';
import { refuseInBrowser } from './provider-parts.ts';

export type RefreshTokenOptions = GrantOptions & {
  /**
   * The refresh token to start from. Once the server rotates it, the newest one lives in the
   * manager's store and wins over this value (a restarted process never spends a spent token).
   */
  readonly refreshToken: string;
  /**
   * Called once per rotation, in order, with the new refresh token (persist it: your database,
   * your vault). Not awaited by the token request; what it throws is ignored.
   */
  readonly onRotate?: (refreshToken: string) => void | Promise<void>;
  /**
   * A stable name for this grant (e.g. the shop or tenant id). Default: a fingerprint of the
   * configured `refreshToken`. Set it when processes may start with different refresh tokens of
   * the same grant (you persist `onRotate`'s values and configure the newest), so all share one
   * store entry; never share one name between two grants.
   */
  readonly grantKey?: string;
  /**
   * How long the current refresh token is kept in the store when the server does not say
   * (`refresh_token_expires_in`). Default 30 days; at most what your store keeps.
   */
  readonly refreshTokenLifetimeMs?: number;
} & Pick<ClientCredentialsOptions, 'defaultLifetimeMs' | 'allowBrowser'>;

const DEFAULT_REFRESH_LIFETIME_MS = 30 * 24 * 3_600_000;
const DEFAULT_LIFETIME_MS = 300_000;
/** One year: a store is asked to keep a refresh token at most that long. */
const MAX_REFRESH_LIFETIME_MS = 365 * 24 * 3_600_000;

const CHECKS: Readonly<Record<string, OptionCheck>> = /* @__PURE__ */ grantChecks({
  refreshToken: isNonEmptyString,
  onRotate: /* @__PURE__ */ optional(isFunction),
  grantKey: /* @__PURE__ */ optional(isNonEmptyString),
  refreshTokenLifetimeMs: /* @__PURE__ */ optional(
    /* @__PURE__ */ isNumber(1, MAX_REFRESH_LIFETIME_MS),
  ),
  defaultLifetimeMs: /* @__PURE__ */ optional(/* @__PURE__ */ isNumber(1, 24 * 3_600_000)),
  allowBrowser: /* @__PURE__ */ optional(isBoolean),
});

/**
 * Access tokens from a refresh token (RFC 6749 §6), for integrations that hold one long-lived
 * grant (an installed app's offline token, a service account's consent).
 *
 * The current refresh token is kept in the manager's store beside the access token (as provider
 * state, outliving it). With a shared store (`@authwire/redis`) one process spends it per
 * rotation, under the store's cross-process lock, and the others read the access token it stored;
 * a restarted process takes the newest refresh token from the store, not the spent one from its
 * configuration. `invalid_grant` is an `InvalidGrantError`, terminal: that refresh token is never
 * sent again.
 *
 * @example
 * const auth = createTokenManager(
 *   refreshToken({
 *     issuer: 'https://id.example.com',
 *     clientId,
 *     clientSecret,
 *     refreshToken: process.env.REFRESH_TOKEN,
 *     onRotate: (next) => vault.write('refresh-token', next),
 *   }),
 *   { origins: ['https://api.example.com'], store: redisStore({ client }) },
 * );
 */
export function refreshToken(options: RefreshTokenOptions): TokenProvider {
  const endpoint = grantEndpoint('refresh-token', options, 'refreshToken()', CHECKS);
  refuseInBrowser('refreshToken', options.allowBrowser);
  const { grantKey, onRotate, defaultLifetimeMs = DEFAULT_LIFETIME_MS } = options;
  const shown = endpoint.key([grantKey === undefined ? '' : `grant:${grantKey}`]);
  // Without a grant name, the configured token is bound through an HMAC keyed by itself.
  const key =
    grantKey === undefined
      ? `${shown}|${credentialFingerprint(options.refreshToken, shown)}`
      : shown;
  // The refresh token's life in this process: the latest one, the one the server refused.
  let latest: string | undefined;
  let refused: { readonly token: string; readonly error: InvalidGrantError } | undefined;
  let notified: Promise<void> = Promise.resolve();

  const fetchToken = async (context: FetchContext): Promise<Token> => {
    const now = context.now ?? Date.now;
    // The store's value is the fleet's newest; ours covers a store that failed or lost it.
    const current = (await context.state?.get()) ?? latest ?? options.refreshToken;
    if (refused?.token === current) throw refused.error;
    const request = await endpoint.request(context, 'refresh_token', { refresh_token: current });
    const sentAt = now();
    let answer: { readonly status: number; readonly body: unknown };
    try {
      answer = await context.send(request);
    } catch (error) {
      const refined = refineEndpointError(error, [current]);
      if (refined instanceof InvalidGrantError) refused = { token: current, error: refined };
      throw refined;
    }
    const json = (answer.body ?? {}) as Record<string, unknown>;
    const { refresh_token: rotated, refresh_token_expires_in: seconds } = json;
    // Kept before anything else can fail: once the server rotated, the old token is spent.
    const next = typeof rotated === 'string' && rotated !== '' ? rotated : current;
    latest = next;
    const keepMs =
      typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
        ? Math.min(seconds * 1000, MAX_REFRESH_LIFETIME_MS)
        : (options.refreshTokenLifetimeMs ?? DEFAULT_REFRESH_LIFETIME_MS);
    await context.state?.set(next, keepMs);
    // `onRotate` in rotation order, never blocking the token request, its failures ignored.
    if (next !== current && onRotate) {
      notified = notified.then(() => onRotate(next)).catch(() => {});
    }
    return readTokenResponse(answer.body, {
      endpoint: endpointLabel(request.url),
      status: answer.status,
      sentAt,
      defaultLifetimeMs,
    });
  };
  const provider = endpoint.provider(key, fetchToken, options.defaultLifetimeMs);
  // Live: the refresh tokens this process has seen are scrubbed like the client's credential.
  Object.defineProperty(provider, 'secrets', {
    get: () => [...endpoint.secrets, options.refreshToken, ...(latest ? [latest] : [])],
    enumerable: false,
    configurable: true,
  });
  return provider;
}
