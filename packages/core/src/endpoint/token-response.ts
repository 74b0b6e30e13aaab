// Turns a token endpoint's JSON into a Token, deciding its expiry.
import { InvalidTokenResponseError } from '../errors/errors.ts';
import { HEADER_NAME, isRecord, SCOPE_TOKEN } from '../options/validate.ts';
import type { Token } from '../types.ts';
import { decodeJwtClaims } from './jwt.ts';

/** Tokens claiming more than a day are capped: timers and clocks stay sane. */
export const MAX_LIFETIME_MS: number = 24 * 60 * 60 * 1000;

/** RFC 6750 / RFC 9110 auth-scheme: a token (tchar+), the characters of a header name. */
const AUTH_SCHEME = HEADER_NAME;
/**
 * What a header can carry of a token: printable ASCII but space, `"` and `\\` (else Headers
 * throws quoting it): RFC 6749's NQCHAR, the characters of a scope token.
 */
const HEADER_SAFE_TOKEN = SCOPE_TOKEN;
/** Bearer by default: RFC 6749 §7.1, a client must not use a token type it does not understand. */
const DEFAULT_TOKEN_TYPES: readonly string[] = ['bearer'];

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
  const fail = (problem: string): never => {
    throw new InvalidTokenResponseError(options.endpoint, options.status, problem);
  };
  if (!isRecord(body)) return fail('the body is not a JSON object');
  const json = body;
  const accessToken = json.access_token;
  if (typeof accessToken !== 'string' || accessToken.trim() === '') {
    return fail('access_token is missing or not a non-empty string');
  }
  if (!HEADER_SAFE_TOKEN.test(accessToken)) {
    return fail('access_token contains characters a header cannot carry');
  }
  const tokenType = json.token_type ?? 'Bearer';
  checkTokenType(tokenType, options.tokenTypes ?? DEFAULT_TOKEN_TYPES, fail);
  const scope = json.scope;
  const lifetimeMs = Math.min(MAX_LIFETIME_MS, lifetimeOf(json, accessToken, options, fail));
  return {
    accessToken,
    tokenType: tokenType as string,
    issuedAt: options.sentAt,
    expiresAt: options.sentAt + lifetimeMs,
    ...(typeof scope === 'string'
      ? { scope }
      : Array.isArray(scope) && scope.every((item) => typeof item === 'string')
        ? { scope: scope.join(' ') }
        : {}),
  };
}

function checkTokenType(
  tokenType: unknown,
  allowed: readonly string[],
  fail: (problem: string) => never,
): void {
  if (typeof tokenType !== 'string' || tokenType === '') fail('token_type is not a string');
  if (!AUTH_SCHEME.test(tokenType as string)) {
    fail('token_type is not a valid authentication scheme');
  }
  const lower = (tokenType as string).toLowerCase();
  if (!allowed.some((type) => type.toLowerCase() === lower)) {
    // Named only when it is a short scheme-like word: it is server text.
    const shown = /^[A-Za-z-]{1,20}$/.test(tokenType as string) ? ` '${tokenType}'` : '';
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
  const fail = (problem: string): never => {
    throw new InvalidTokenResponseError(where, undefined, problem);
  };
  if (!isRecord(token)) return fail('it is not an object');
  const { accessToken, tokenType, issuedAt, expiresAt, scope } = token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    return fail('accessToken is missing or not a non-empty string');
  }
  if (!HEADER_SAFE_TOKEN.test(accessToken)) {
    return fail('accessToken contains characters a header cannot carry');
  }
  checkTokenType(tokenType, options.tokenTypes ?? DEFAULT_TOKEN_TYPES, fail);
  if (typeof issuedAt !== 'number' || !Number.isFinite(issuedAt)) {
    return fail('issuedAt is not a finite number (epoch ms)');
  }
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    return fail('expiresAt is not a finite number (epoch ms)');
  }
  if (expiresAt <= issuedAt) return fail('expiresAt is not after issuedAt');
  if (expiresAt - issuedAt > MAX_LIFETIME_MS) {
    return fail(`its lifetime is longer than ${MAX_LIFETIME_MS} ms (24 h)`);
  }
  if (scope !== undefined && typeof scope !== 'string') return fail('scope is not a string');
  return token as unknown as Token;
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
