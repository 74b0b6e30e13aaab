// The request seam's memory: which Authorization a 401 was sent with, across token rotations, and
// the header names it strips and redacts.
import { describe, expect, it } from 'vitest';
import { createTokenManager, memoryStore, type TokenManager } from '../src/index.ts';
import { requestAuth } from '../src/kit.ts';
import { fakeProvider } from './fake-provider.ts';

const URL = 'https://api.example.com/orders';

function manager(headers?: Record<string, string>): TokenManager {
  return createTokenManager(fakeProvider(headers ? { headers: () => headers } : {}), {
    store: memoryStore(),
  });
}

describe('RequestAuth', () => {
  it('knows the last four Authorizations it handed out, across token rotations', async () => {
    const auth = manager();
    const seam = requestAuth(auth);
    const sent: string[] = [];
    for (let i = 0; i < 6; i++) {
      await auth.getToken({ forceRefresh: true });
      const authorization = seam.peek(URL);
      expect(authorization).toBeDefined();
      sent.push(authorization?.headers.Authorization as string);
      // The same one again changes nothing.
      seam.peek(URL);
    }
    expect(new Set(sent).size).toBe(6);
    const found = sent.map((value) => seam.sentWith(value)?.headers.Authorization);
    expect(found).toEqual([undefined, undefined, ...sent.slice(2)]);
    expect(seam.sentWith('Bearer someone-else')).toBeUndefined();
    expect(seam.sentWith(undefined)).toBeUndefined();
    await auth.close();
  });

  it('names every header it handed out, lower-cased, for redirects and redaction', async () => {
    const plain = requestAuth(manager());
    const norceLike = requestAuth(manager({ ApplicationId: '7' }));
    expect([...plain.names]).toEqual([]);
    expect(plain.stripOnRedirect('https://elsewhere.example.com/')).toEqual(new Set());
    await plain.manager.getToken();
    await norceLike.manager.getToken();
    plain.peek(URL);
    norceLike.peek(URL);
    expect([...plain.names]).toEqual(['authorization']);
    expect([...norceLike.names].sort()).toEqual(['applicationid', 'authorization']);
    expect(norceLike.stripOnRedirect('https://elsewhere.example.com/')).toEqual(
      new Set(['applicationid', 'authorization']),
    );
    expect(norceLike.stripOnRedirect('https://api.example.com/next')).toEqual(new Set());
    const headers: Record<string, unknown> = { ApplicationId: '7', Authorization: 'x', Other: 'y' };
    norceLike.redact(headers);
    expect(headers).toEqual({
      ApplicationId: '[redacted]',
      Authorization: '[redacted]',
      Other: 'y',
    });
    // One seam's list is not another's.
    expect([...plain.names]).toEqual(['authorization']);
    await plain.manager.close();
    await norceLike.manager.close();
  });
});
