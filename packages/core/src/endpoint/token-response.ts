// Turns a token endpoint's JSON into a Token, deciding its expiry; checks a Token from elsewhere.
import { InvalidTokenResponseError } from '../errors/errors.ts';
import { HEADER_NAME, isRecord, SCOPE_TOKEN } from '../options/validate.ts';
import type { Token } from '../types.ts';
import { decodeJwtClaims } from './jwt.ts';

/** Tokens claiming more than a day are capped: timers and clocks stay sane. */
export const MAX_LIFETIME_MS: number = 24 * 60 * 60 * 1000;

type Fail = (problem: string) => never;

export interface ReadTokenOptions {
  readonly endpoint: string;
  readonly status: number;
  /** Epoch ms when the request was sent: expiry is measured from there. */
  readonly sentAt: number;
  readonly defaultLifetimeMs: number;
  /** Accepted `token_type`s, case-insensitive. Default `['bearer']`. */
  readonly tokenTypes?: readonly string[] | undefined;
}

export function readTokenResponse(body: unknown, options: ReadTokenOptions): Token {
  const { endpoint, status, sentAt } = options;
  const fail: Fail = (problem) => {
    throw new InvalidTokenResponseError(endpoint, status, problem);
  };
  if (!isRecord(body)) return fail('the body is not a JSON object');
  const { access_token: accessToken, scope } = body;
  const tokenType = body.token_type ?? 'Bearer';
  checkToken(fail, accessToken, tokenType, 'access_token', options.tokenTypes);
  const lifetimeMs = Math.min(
    MAX_LIFETIME_MS,
    lifetimeOf(body, accessToken as string, options, fail),
  );
  const scopes = Array.isArray(scope) && scope.every((item) => typeof item === 'string');
  return {
    accessToken: accessToken as string,
    tokenType: tokenType as string,
    issuedAt: sentAt,
    expiresAt: sentAt + lifetimeMs,
    ...(typeof scope === 'string' ? { scope } : scopes ? { scope: scope.join(' ') } : {}),
  };
}

/**
 * What any token must be: a non-empty access token a header can carry (RFC 6749's NQCHAR: printable
 * ASCII but space, `"` and `\\`, else Headers throws quoting it), and a `token_type` that is an
 * auth-scheme this request accepts (RFC 6749 §7.1: a client must not use a type it does not
 * understand; default Bearer). Server text is named only when it is a short scheme-like word.
 */
function checkToken(
  fail: Fail,
  accessToken: unknown,
  tokenType: unknown,
  name: string,
  allowed: readonly string[] = ['bearer'],
): void {
  if (typeof accessToken !== 'string' || accessToken.trim() === '') {
    fail(`${name} is missing or not a non-empty string`);
  }
  if (!SCOPE_TOKEN.test(accessToken as string)) {
    fail(`${name} contains characters a header cannot carry`);
  }
  if (typeof tokenType !== 'string' || !HEADER_NAME.test(tokenType)) {
    fail('token_type is not a valid authentication scheme');
  }
  if (!allowed.some((type) => type.toLowerCase() === tokenType.toLowerCase())) {
    const shown = /^[A-Za-z-]{1,20}$/.test(tokenType) ? ` '${tokenType}'` : '';
    fail(
      `token_type${shown} is not one this request accepts (${allowed.join(', ')}); RFC 6749 §7.1`,
    );
  }
}

export interface ValidateTokenOptions {
  /** Accepted token types, case-insensitive. Default `['bearer']`. */
  readonly tokenTypes?: readonly string[];
}

/**
 * Checks a `Token` that did not come through `readTokenResponse` — a store entry, a custom
 * provider's return value — like a token response: finite `issuedAt` and `expiresAt`, `expiresAt`
 * after `issuedAt`, a lifetime of at most 24 h (`MAX_LIFETIME_MS`), a non-empty header-safe
 * `accessToken`, an accepted `tokenType`, an optional string `scope`. Returns `token` itself
 * (identity kept: the manager caches per-token work); throws `InvalidTokenResponseError` naming
 * `where`, never the token.
 *
 * @example
 * const token = validateToken(await store.get(key), 'store entry');
 */
export function validateToken(
  token: unknown,
  where: string,
  options: ValidateTokenOptions = {},
): Token {
  const fail: Fail = (problem) => {
    throw new InvalidTokenResponseError(where, undefined, problem);
  };
  if (!isRecord(token)) return fail('it is not an object');
  const { issuedAt, expiresAt, scope } = token;
  checkToken(fail, token.accessToken, token.tokenType, 'accessToken', options.tokenTypes);
  if (!Number.isFinite(issuedAt)) fail('issuedAt is not a finite number (epoch ms)');
  if (!Number.isFinite(expiresAt)) fail('expiresAt is not a finite number (epoch ms)');
  const lifetime = (expiresAt as number) - (issuedAt as number);
  if (lifetime <= 0) fail('expiresAt is not after issuedAt');
  if (lifetime > MAX_LIFETIME_MS) fail(`its lifetime is longer than ${MAX_LIFETIME_MS} ms (24 h)`);
  if (scope !== undefined && typeof scope !== 'string') fail('scope is not a string');
  return token as unknown as Token;
}

/** From `expires_in` (a number, or a numeric string), else the JWT's `exp`, else the default. */
function lifetimeOf(
  json: Record<string, unknown>,
  accessToken: string,
  options: ReadTokenOptions,
  fail: Fail,
): number {
  const expiresIn = json.expires_in;
  if (expiresIn != null) {
    // Anything but a positive number is a broken response, not "no expiry".
    const seconds =
      typeof expiresIn === 'number' ||
      (typeof expiresIn === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(expiresIn))
        ? Number(expiresIn)
        : 0;
    return seconds > 0 && seconds < Infinity
      ? seconds * 1000
      : fail('expires_in is not a positive number of seconds');
  }
  const { exp, iat } = decodeJwtClaims(accessToken) ?? {};
  if (Number.isFinite(exp)) {
    // exp − iat is immune to skew between our clock and the server's.
    if (Number.isFinite(iat) && (exp as number) > (iat as number)) {
      return ((exp as number) - (iat as number)) * 1000;
    }
    const untilExp = (exp as number) * 1000 - options.sentAt;
    if (untilExp > 0) return untilExp;
  }
  return options.defaultLifetimeMs;
}
