// Reads a JWT's claims without verifying it: only to learn `exp`/`iat` when `expires_in` is absent.
import { isRecord } from '../options/validate.ts';

export interface JwtClaims {
  readonly exp?: unknown;
  readonly iat?: unknown;
  readonly [claim: string]: unknown;
}

/**
 * Decodes the payload leniently: base64url or standard base64 (Oracle's tokens use `+`, `/`
 * and `=`), padded or not. Returns undefined for anything that is not a JSON object.
 *
 * @example
 * ```ts
 * const exp = decodeJwtClaims(token.accessToken)?.exp; // unverified
 * ```
 */
export function decodeJwtClaims(token: string): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length < 2 || parts.length > 5 || !parts[1]) return undefined;
  try {
    // atob takes unpadded base64 (forgiving-base64), so only the alphabet is mapped.
    const binary = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, ''));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return isRecord(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}
