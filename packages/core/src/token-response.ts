// Turns a token endpoint's JSON into a Token, deciding its expiry.
import { InvalidTokenResponseError } from './errors.ts';
import { decodeJwtClaims } from './jwt.ts';
import type { Token } from './types.ts';

/** Tokens claiming more than a day are capped: timers and clocks stay sane. */
export const MAX_LIFETIME_MS: number = 24 * 60 * 60 * 1000;

export interface ReadTokenOptions {
  readonly endpoint: string;
  readonly status: number;
  /** Epoch ms when the request was sent: expiry is measured from there. */
  readonly sentAt: number;
  readonly defaultLifetimeMs: number;
}

export function readTokenResponse(body: unknown, options: ReadTokenOptions): Token {
  const fail = (problem: string): never => {
    throw new InvalidTokenResponseError(options.endpoint, options.status, problem);
  };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail('the body is not a JSON object');
  }
  const json = body as Record<string, unknown>;
  const accessToken = json.access_token;
  if (typeof accessToken !== 'string' || accessToken.trim() === '') {
    return fail('access_token is missing or not a non-empty string');
  }
  // Printable ASCII but `"` and `\`: anything else would make Headers throw an error quoting the token.
  if (/[^\x21\x23-\x5b\x5d-\x7e]/.test(accessToken))
    return fail('access_token contains characters a header cannot carry');
  const tokenType = json.token_type ?? 'Bearer';
  if (typeof tokenType !== 'string' || tokenType === '') return fail('token_type is not a string');
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(tokenType)) {
    return fail('token_type is not a valid authentication scheme');
  }
  const scope = json.scope;
  const lifetimeMs = Math.min(MAX_LIFETIME_MS, lifetimeOf(json, accessToken, options, fail));
  return {
    accessToken,
    tokenType,
    issuedAt: options.sentAt,
    expiresAt: options.sentAt + lifetimeMs,
    ...(typeof scope === 'string'
      ? { scope }
      : Array.isArray(scope)
        ? { scope: scope.join(' ') }
        : {}),
  };
}

function lifetimeOf(
  json: Record<string, unknown>,
  accessToken: string,
  options: ReadTokenOptions,
  fail: (problem: string) => never,
): number {
  const expiresIn = json.expires_in;
  if (expiresIn !== undefined && expiresIn !== null) {
    // Some servers send a numeric string; anything else is a broken response, not "no expiry".
    const seconds =
      typeof expiresIn === 'number'
        ? expiresIn
        : typeof expiresIn === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(expiresIn)
          ? Number(expiresIn)
          : Number.NaN;
    if (!Number.isFinite(seconds) || seconds <= 0) {
      return fail('expires_in is not a positive number of seconds');
    }
    return seconds * 1000;
  }
  const claims = decodeJwtClaims(accessToken);
  const exp = claims?.exp;
  if (typeof exp === 'number' && Number.isFinite(exp)) {
    const iat = claims?.iat;
    // exp − iat is immune to skew between our clock and the server's.
    if (typeof iat === 'number' && Number.isFinite(iat) && exp > iat) return (exp - iat) * 1000;
    const untilExp = exp * 1000 - options.sentAt;
    if (untilExp > 0) return untilExp;
  }
  return options.defaultLifetimeMs;
}

/**
 * Checks a Token that did not come from a token response (a provider's own `fetchToken`, a store
 * entry) like one that did: a header-safe access token, a valid scheme, finite times in order.
 */
export function validateToken(value: unknown, where: string): Token {
  const fail = (problem: string): never => {
    throw new InvalidTokenResponseError(where, 200, problem);
  };
  if (typeof value !== 'object' || value === null) return fail('the token is not an object');
  const token = value as Partial<Record<keyof Token, unknown>>;
  const { accessToken, tokenType, issuedAt, expiresAt, scope } = token;
  if (
    typeof accessToken !== 'string' ||
    accessToken === '' ||
    /[^\x21\x23-\x5b\x5d-\x7e]/.test(accessToken)
  ) {
    return fail('accessToken is not a non-empty, header-safe string');
  }
  if (typeof tokenType !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(tokenType)) {
    return fail('tokenType is not a valid authentication scheme');
  }
  if (typeof issuedAt !== 'number' || !Number.isFinite(issuedAt))
    return fail('issuedAt is not a finite time');
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt) || expiresAt <= issuedAt) {
    return fail('expiresAt is not a finite time after issuedAt');
  }
  if (expiresAt - issuedAt > MAX_LIFETIME_MS) return fail('the token claims a lifetime over 24 h');
  if (scope !== undefined && typeof scope !== 'string') return fail('scope is not a string');
  return value as Token;
}
