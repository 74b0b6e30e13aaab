// Validates the application key and reads the non-secret application identity out of it.
import { clientCredentials } from '@authwire/core';
import { invalidOption } from '@authwire/core/kit';

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
 * A non-reversible fingerprint of the whole application key, bound to `identity` (the login
 * URL): the key's unverified JWT `sub` is not used, since anyone can forge a key with the same
 * `sub` (`{alg: 'none'}`) and would then be handed this key's cached token.
 *
 * It is core's client-credentials fingerprint (HMAC-SHA-256 keyed by the secret over the
 * identity, 128 bits, base64url): the last part of that provider's cache key.
 */
export function applicationKeyFingerprint(applicationKey: string, identity: string): string {
  const { key } = clientCredentials({
    tokenUrl: identity,
    clientId: 'oracle-commerce',
    clientSecret: applicationKey,
    allowBrowser: true,
  });
  return key.slice(key.lastIndexOf('|') + 1);
}
