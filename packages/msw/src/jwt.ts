// Fake JWTs: JWT-shaped (header.payload.signature), never signed — mocks only check them by lookup.
import { randomBytes, randomUUID } from 'node:crypto';

/** Which alphabet the fake signature segment uses. */
export type SignatureEncoding = 'base64url' | 'base64';

/** Claims every mock token carries; platforms add their own. */
export interface JwtClaims {
  readonly [claim: string]: unknown;
}

/** Encodes text or bytes as unpadded base64url. */
export function base64UrlEncode(input: string | Uint8Array): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * Builds a JWT-shaped string with a random, meaningless signature.
 *
 * `base64` mimics Oracle Commerce, whose token examples carry a standard-base64 signature
 * (`+`, `/`, trailing `=`; see seeds/oracle-commerce-cloud-oauth.txt).
 *
 * @example
 * ```ts
 * const token = makeFakeJwt({ sub: 'demo', exp: 1_900_000_000 });
 * ```
 */
export function makeFakeJwt(
  claims: JwtClaims,
  options: { readonly header?: JwtClaims; readonly signature?: SignatureEncoding } = {},
): string {
  const header = options.header ?? { alg: 'RS256', typ: 'JWT' };
  // 32 random bytes: base64 always ends in one '=' (32 mod 3 = 2), like Oracle's examples.
  const signature = randomBytes(32).toString(options.signature ?? 'base64url');
  return `${base64UrlEncode(JSON.stringify(header))}.${base64UrlEncode(JSON.stringify(claims))}.${signature}`;
}

/**
 * Decodes a JWT payload leniently (base64 or base64url, with or without padding).
 * Returns `undefined` for anything that is not a JWT with a JSON object payload.
 *
 * @example
 * ```ts
 * const claims = decodeJwtPayload(accessToken);
 * claims?.exp; // seconds since epoch
 * ```
 */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const json = Buffer.from(parts[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString();
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A unique token id (`jti`). */
export function newTokenId(): string {
  return randomUUID();
}

/** An opaque, non-JWT access token (for the `'not-jwt'` failure). */
export function makeOpaqueToken(): string {
  return randomBytes(24).toString('hex');
}

/**
 * Makes a fake Oracle Commerce application key: a JWT with `iss: "adminUI"` and a
 * standard-base64 signature, shaped like the key in Oracle's "Use the application key for
 * authentication" example (seeds/oracle-commerce-cloud-oauth.txt).
 *
 * @example
 * ```ts
 * const key = makeOracleApplicationKey({ subject: 'integration-1' });
 * const mock = oracleCommerceMock({ applicationKeys: [key] });
 * ```
 */
export function makeOracleApplicationKey(
  options: { readonly subject?: string; readonly issuedAt?: number } = {},
): string {
  const iat = Math.floor((options.issuedAt ?? Date.now()) / 1000);
  return makeFakeJwt(
    {
      sub: options.subject ?? `app-${randomBytes(4).toString('hex')}`,
      iss: 'adminUI',
      'com.oracle.atg.cloud.commerce.roles': ['admin'],
      iat,
      jti: newTokenId(),
    },
    { header: { alg: 'HS256', typ: 'JWT' }, signature: 'base64' },
  );
}
