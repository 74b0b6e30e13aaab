// Tokens for tests, with access tokens that are easy to search for in raw Redis values.
import { randomUUID } from 'node:crypto';
import type { Token } from '@authwire/core';

export function makeToken(overrides: Partial<Token> = {}): Token {
  const issuedAt = Date.now();
  return {
    accessToken: `at-${randomUUID()}`,
    tokenType: 'Bearer',
    issuedAt,
    expiresAt: issuedAt + 3_600_000,
    scope: 'read write',
    ...overrides,
  };
}

let counter = 0;
/** A cache key no other test uses. */
export function cacheKey(name = 'key'): string {
  counter += 1;
  return `https://auth.example.com/token|client-${counter}|${name}`;
}
