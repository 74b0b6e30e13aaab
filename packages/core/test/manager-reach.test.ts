import { clientCredentials, createTokenManager } from '@authwire/core';
import { requestAuth } from '@authwire/core/kit';
import { describe, expect, it } from 'vitest';

const SECRET = 'reach-secret-0123456789';

/** Every function a caller can reach from `value` through its constructor and theirs. */
function staticFunctions(value: object): string[] {
  const found: string[] = [];
  for (let c = value.constructor; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    for (const name of Object.getOwnPropertyNames(c)) {
      const member = (c as unknown as Record<string, unknown>)[name];
      if (typeof member === 'function' && name !== 'constructor') found.push(`${c.name}.${name}`);
    }
  }
  return found;
}

describe('what holding a manager reaches', () => {
  it('hands out no internal function through manager.constructor (the provider, its secret, the cached token)', async () => {
    const provider = clientCredentials({
      tokenUrl: 'https://id.example.com/token',
      clientId: 'reach-client',
      clientSecret: SECRET,
    });
    const manager = createTokenManager(provider, { origins: ['https://api.example.com'] });
    try {
      // Before: Manager.provider(manager).secrets gave the client secret, Manager.cached a token
      // for any URL (the origin check is the seam's), ManagerEvents.emit forged events.
      expect(staticFunctions(manager)).toEqual([]);
      expect(staticFunctions(requestAuth(manager))).toEqual([]);
    } finally {
      await manager.close();
    }
  });
});
