// Validates the application key and reads the non-secret application identity out of it.
import { decodeJwtClaims, invalidOption } from '@authwire/core/kit';

/**
 * Checks the key can travel in an `Authorization` header. Messages never include the key.
 */
export function validateApplicationKey(value: unknown): string {
  if (typeof value === 'string' && /^bearer\s/i.test(value)) {
    invalidOption('applicationKey', "must be the key itself, without the 'Bearer ' prefix");
  }
  return typeof value === 'string' && /^[\x21-\x7E]+$/.test(value)
    ? value
    : invalidOption('applicationKey', 'is required: a string without whitespace or non-ASCII');
}

/**
 * The application key is a JWT (PLATFORMS.md: `iss: "adminUI"`, `sub` = the registered
 * application). Its `sub` tells two applications on one instance apart in the cache key without
 * using the key itself. Decoded leniently by core, never verified; `''` when the key is not a
 * readable JWT or has no `sub`.
 */
export function applicationKeySubject(key: string): string {
  const sub = decodeJwtClaims(key)?.sub;
  return typeof sub === 'string' ? sub : '';
}
