// Reads a JWT's claims without verifying it: only to learn `exp`/`iat` when `expires_in` is absent.

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
  if (parts.length < 2 || parts.length > 5) return undefined;
  const payload = parts[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as JwtClaims)
      : undefined;
  } catch {
    return undefined;
  }
}
