// Validates the application key and reads the non-secret application identity out of it.
import { decodeJwtClaims, InvalidOptionsError } from '@authwire/core';

/**
 * Checks the key can travel in an `Authorization` header. Messages never include the key.
 */
export function validateApplicationKey(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidOptionsError(
      'applicationKey',
      'applicationKey is required and must be a non-empty string',
    );
  }
  if (/^bearer\s/i.test(value)) {
    throw new InvalidOptionsError(
      'applicationKey',
      "applicationKey must be the key itself, without the 'Bearer ' prefix",
    );
  }
  if (!/^[\x21-\x7E]+$/.test(value)) {
    throw new InvalidOptionsError(
      'applicationKey',
      'applicationKey contains whitespace or characters a header cannot carry',
    );
  }
  return value;
}

/**
 * The application key is a JWT (PLATFORMS.md: `iss: "adminUI"`, `sub` = the registered
 * application). Its `sub` tells two applications on one instance apart in the cache key without
 * using the key itself. Decoded leniently by core, never verified; `undefined` when the key is
 * not a readable JWT.
 */
export function applicationKeySubject(key: string): string | undefined {
  const sub = decodeJwtClaims(key)?.sub;
  return typeof sub === 'string' && sub !== '' ? sub : undefined;
}
