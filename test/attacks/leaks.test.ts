// Every credential that goes out is scrubbed from everything that comes back, in every encoding.
import { inspect } from 'node:util';
import {
  clientCredentials,
  createTokenManager,
  InvalidOptionsError,
  RateLimitedError,
  TokenEndpointError,
  type TokenEvent,
  type TokenManager,
} from '@authwire/core';
import { oracleCommerce } from '@authwire/oracle-commerce';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertNoSecrets,
  eventLog,
  type HostileServer,
  hasControlCharacters,
  hostileServer,
  leakGuard,
  rejectionOf,
  sendJson,
  steppableClock,
  waitsOf,
} from './support.ts';

const guard = leakGuard();
const SECRET = 'leak-Secret/+=&7Qx';
const API = 'https://api.example.com';

const servers: HostileServer[] = [];
const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(handler: Parameters<typeof hostileServer>[0]): Promise<HostileServer> {
  const s = await hostileServer(handler);
  servers.push(s);
  return s;
}
const track = <T extends TokenManager>(m: T): T => {
  managers.push(m);
  return m;
};

/** Everything a server can quote a value back as. */
function quoted(value: string): string {
  return [
    value,
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    new URLSearchParams({ v: value }).toString().slice(2),
    JSON.stringify(value).slice(1, -1),
    btoa(value),
    Buffer.from(value).toString('base64url'),
  ].join(' | ');
}

async function waitForEvent(events: TokenEvent[], test: (e: TokenEvent) => boolean, ms = 3_000) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const found = events.find(test);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('event did not arrive');
}

describe('the live access token sent as a bearer (Oracle /refresh)', () => {
  it('never reaches an event, error, message, inspect or JSON when /refresh quotes it', async () => {
    const APP_KEY = `${btoa('{"alg":"HS256"}')}.${btoa('{"sub":"app-9","iss":"adminUI"}')}.c2ln`;
    let live = '';
    const occ = await server((req, res) => {
      if (req.url?.endsWith('/login')) {
        live = occ.issue({ sub: 'app-9' });
        sendJson(res, 200, { access_token: live, token_type: 'bearer', expires_in: 300 });
        return;
      }
      // A refresh failure quoting the bearer it got, in every encoding, with terminal escapes.
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      sendJson(res, 503, {
        message: `refresh failed for ${quoted(bearer)}\r\n\u001b[2J`,
        status: '503',
        errorCode: `E-${bearer}`,
      });
    });
    const clock = steppableClock();
    const log = eventLog();
    const auth = track(
      oracleCommerce({
        baseUrl: occ.origin,
        applicationKey: APP_KEY,
        clock,
        maxAttempts: 1,
        onEvent: log.onEvent,
      }),
    );
    const first = await auth.getToken();
    // Inside the refresh window: the next call starts a background refresh with the live token.
    clock.shift(250_000);
    expect((await auth.getToken()).accessToken).toBe(first.accessToken);
    const failed = await waitForEvent(log.events, (e) => /failed/.test(e.type));
    expect(occ.count('/ccadmin/v1/refresh')).toBe(1);
    const error = (failed as { error: Error }).error;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(hasControlCharacters(error.message)).toBe(false);
    expect(error.message).toContain('[redacted]');
    assertNoSecrets([error, log.events, auth, guard.consoleCalls], [live, APP_KEY, btoa(live)]);
  });
});

describe('the live access token sent as a bearer (Oracle /logout)', () => {
  it('never reaches an event or a log line when /logout quotes it on close()', async () => {
    const APP_KEY = `${btoa('{"alg":"HS256"}')}.${btoa('{"sub":"app-8","iss":"adminUI"}')}.c2ln`;
    let live = '';
    const occ = await server((req, res) => {
      if (req.url?.endsWith('/login')) {
        live = occ.issue({ sub: 'app-8' });
        sendJson(res, 200, { access_token: live, token_type: 'bearer', expires_in: 300 });
        return;
      }
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      sendJson(res, 500, { message: `logout failed: ${quoted(bearer)}`, status: '500' });
    });
    const log = eventLog();
    const auth = oracleCommerce({
      baseUrl: occ.origin,
      applicationKey: APP_KEY,
      revokeOnClose: true,
      onEvent: log.onEvent,
    });
    await auth.getToken();
    const started = performance.now();
    await auth.close();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(occ.count('/ccadmin/v1/logout')).toBe(1);
    assertNoSecrets([log.events, auth, guard.consoleCalls], [live, APP_KEY, btoa(live)]);
  });
});

describe('a secret in the token URL query string', () => {
  it('appears in no key, label, event or RateLimitedError from the endpoint', async () => {
    const idp = await server((_req, res) =>
      sendJson(res, 429, { error: 'slow_down' }, { 'retry-after': '30' }),
    );
    const log = eventLog();
    const provider = clientCredentials({
      tokenUrl: `${idp.origin}/token?api_key=QUERY-Secret-123`,
      clientId: 'c',
      clientSecret: SECRET,
    });
    const auth = track(
      createTokenManager(provider, { origins: [API], onEvent: log.onEvent, maxRetryAfterMs: 10 }),
    );
    const { error } = await rejectionOf(auth.getToken());
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(30_000);
    expect((error as Error).message).toContain(`${idp.origin}/token`);
    // Refused at once: no wait announced.
    expect(waitsOf(log.events)).toEqual([]);
    expect(idp.count('/token')).toBe(1);
    expect(provider.label).toBe(`client-credentials ${new URL(idp.origin).host}/token`);
    assertNoSecrets([error, log.events, auth.key, provider, auth], ['QUERY-Secret-123', SECRET]);
  });
});

describe('echoed credentials in any encoding', () => {
  it.each(['client_secret_post', 'client_secret_basic'] as const)(
    'scrubs raw, percent-escaped (either case), form, JSON and base64 echoes with %s',
    async (authMethod) => {
      const idp = await server((req, res, body) =>
        sendJson(res, 400, {
          error: 'invalid_request',
          error_description: `${quoted(decodeURIComponent(body.replace(/\+/g, ' ')))} ${req.headers.authorization ?? ''} ${quoted(SECRET)}`,
        }),
      );
      const log = eventLog();
      const provider = clientCredentials({
        tokenUrl: `${idp.origin}/token`,
        clientId: 'c',
        clientSecret: SECRET,
        authMethod,
      });
      const auth = track(createTokenManager(provider, { origins: [API], onEvent: log.onEvent }));
      const { error } = await rejectionOf(auth.getToken());
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(idp.count('/token')).toBe(1);
      assertNoSecrets(
        [error, log.events, auth, provider],
        [
          SECRET,
          encodeURIComponent(SECRET).toLowerCase(),
          btoa(SECRET),
          btoa(`c:${encodeURIComponent(SECRET)}`),
        ],
      );
    },
  );
});

describe('server text copied into messages', () => {
  it('is stripped of CR/LF, ANSI escapes and C0/C1 controls, and bounded', async () => {
    const idp = await server((_req, res) =>
      sendJson(res, 400, {
        error: 'invalid_client\r\nX-Injected: yes',
        error_description: `\u001b[31mred\u001b[0m\u009b2J ${'z'.repeat(5_000)}`,
      }),
    );
    const auth = track(
      createTokenManager(
        clientCredentials({ tokenUrl: `${idp.origin}/token`, clientId: 'c', clientSecret: SECRET }),
        { origins: [API] },
      ),
    );
    const { error } = await rejectionOf(auth.getToken());
    const endpointError = error as TokenEndpointError;
    for (const text of [
      endpointError.message,
      endpointError.error,
      endpointError.errorDescription,
    ]) {
      expect(hasControlCharacters(text)).toBe(false);
    }
    expect(endpointError.message.length).toBeLessThanOrEqual(501);
    expect(endpointError.errorDescription!.length).toBeLessThanOrEqual(201);
  });
});

describe('what providers and options show', () => {
  it('console.log(clientCredentials(...)) and inspect(manager) print no secret', () => {
    const provider = clientCredentials({
      tokenUrl: 'https://id.example.com/oauth2/token',
      clientId: 'c',
      clientSecret: SECRET,
      authMethod: 'client_secret_basic',
    });
    console.log(provider);
    const auth = track(createTokenManager(provider, { origins: [API] }));
    console.log(auth);
    expect(inspect(provider)).toContain('client-credentials id.example.com/oauth2/token');
    assertNoSecrets([provider, auth, guard.consoleCalls], [SECRET, btoa(`c:${SECRET}`)]);
  });

  it('extra headers with CR/LF are an InvalidOptionsError that never quotes the value', () => {
    const error = (() => {
      try {
        clientCredentials({
          tokenUrl: 'https://id.example.com/oauth2/token',
          clientId: 'c',
          clientSecret: SECRET,
          headers: { 'X-Api-Key': `${SECRET}\r\nX-Evil: 1` },
        });
      } catch (e) {
        return e;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe('headers');
    assertNoSecrets([error], [SECRET, 'X-Evil']);
  });
});
