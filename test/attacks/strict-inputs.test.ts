// Strict inputs: token types, loopback, and the close race (a new manager never inherits a closing one).
import { randomUUID } from 'node:crypto';
import {
  clientCredentials,
  createTokenManager,
  InsecureUrlError,
  InvalidTokenResponseError,
  type TokenManager,
  type TokenProvider,
} from '@authwire/core';
import { norce } from '@authwire/norce';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertNoSecrets,
  eventLog,
  type HostileServer,
  hostileServer,
  leakGuard,
  rejectionOf,
  sendJson,
  waitsOf,
  within,
} from './support.ts';

leakGuard();
const SECRET = 'strict-Secret-2718';
const API = 'https://api.example.com';
const servers: HostileServer[] = [];
const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('unknown token types (RFC 6749 §7.1)', () => {
  it.each(['mac', 'MAC', 'Basic', 'N_A', 'DPoP'])(
    'token_type %s is an InvalidTokenResponseError, one request, never an Authorization scheme',
    async (tokenType) => {
      let issued = '';
      const idp = await hostileServer((_req, res) => {
        issued = `opaque-${randomUUID()}`;
        sendJson(res, 200, { access_token: issued, token_type: tokenType, expires_in: 3600 });
      });
      servers.push(idp);
      const log = eventLog();
      const auth = createTokenManager(
        clientCredentials({ tokenUrl: `${idp.origin}/token`, clientId: 'c', clientSecret: SECRET }),
        { origins: [API], onEvent: log.onEvent },
      );
      managers.push(auth);
      const { error } = await rejectionOf(auth.authorize(`${API}/orders`));
      expect(error).toBeInstanceOf(InvalidTokenResponseError);
      expect((error as Error).message).toContain('token_type');
      expect(idp.count('/token')).toBe(1);
      // Refused at once: no retry, no wait announced.
      expect(waitsOf(log.events)).toEqual([]);
      assertNoSecrets([error, log.events, auth], [SECRET, issued]);
    },
  );
});

describe('*.localhost is not loopback', () => {
  it.each(['http://idp.localhost/token', 'http://a.b.localhost:8080/token'])(
    'a %s token URL is an InsecureUrlError',
    (tokenUrl) => {
      expect(() => clientCredentials({ tokenUrl, clientId: 'c', clientSecret: SECRET })).toThrow(
        InsecureUrlError,
      );
      expect(() =>
        norce({
          clientId: 'c',
          clientSecret: SECRET,
          applicationId: 1,
          environment: 'stage',
          tokenUrl,
          baseUrl: API,
        }),
      ).toThrow(InsecureUrlError);
    },
  );

  it('an http://api.localhost origin is an InsecureUrlError; localhost, 127.0.0.0/8 and ::1 stay allowed', () => {
    const provider = clientCredentials({
      tokenUrl: 'https://id.example.com/token',
      clientId: 'c',
      clientSecret: SECRET,
    });
    expect(() => createTokenManager(provider, { origins: ['http://api.localhost'] })).toThrow(
      InsecureUrlError,
    );
    const ok = createTokenManager(provider, {
      origins: ['http://localhost:3000', 'http://127.8.9.10', 'http://[::1]:8080'],
    });
    managers.push(ok);
    expect(ok.origins).toHaveLength(3);
  });
});

describe('the close race', () => {
  it('a new manager for a key whose last manager is closing starts clean', async () => {
    const key = `close-race-${randomUUID()}`;
    let calls = 0;
    const slow: TokenProvider = {
      key,
      label: 'slow',
      fetchToken: async ({ signal }) => {
        calls += 1;
        await new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, 200);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        });
        return {
          accessToken: `t${calls}`,
          tokenType: 'Bearer',
          issuedAt: Date.now(),
          expiresAt: Date.now() + 3_600_000,
        };
      },
    };
    const first = createTokenManager(slow, { origins: [API] });
    const inflight = first.getToken().catch(() => undefined);
    const closing = first.close();
    const second = createTokenManager(slow, { origins: [API] });
    managers.push(second);
    const token = await within(second.getToken(), 3_000, 'getToken on the new manager');
    expect(token.tokenType).toBe('Bearer');
    await closing;
    await inflight;
  });
});
