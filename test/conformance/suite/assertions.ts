// Checks the behaviour files share: nothing secret in what a caller sees, and how a request failed.
import { inspect } from 'node:util';
import { expect } from 'vitest';
import type { Platform } from '../../drivers/platforms.ts';

function printed(value: unknown): string {
  let json = '';
  try {
    json = JSON.stringify(value) ?? '';
  } catch {
    // Circular structures cannot leak through JSON.stringify.
  }
  return `${inspect(value, { depth: 10 })}\n${json}`;
}

/** Neither the platform's secrets nor any token it issued shows in `value` (inspect or JSON). */
export function expectNothingSecret(value: unknown, platform: Platform): void {
  const text = printed(value);
  for (const secret of platform.secrets) expect(text).not.toContain(secret);
  for (const { accessToken } of platform.control.issuedTokens) {
    expect(text).not.toContain(accessToken);
  }
}

/** What `promise` rejected with; fails the test when it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}
