// A cached token is only ever handed to a manager holding the credential it was issued for.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  clientCredentials,
  createTokenManager,
  isAuthwireError,
  type TokenManager,
  type TokenStore,
} from '@authwire/core';
import { norce } from '@authwire/norce';
import { oracleCommerce } from '@authwire/oracle-commerce';
import { redisStore } from '@authwire/redis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  assertNoSecrets,
  eventLog,
  formOf,
  type HostileServer,
  hostileServer,
  leakGuard,
  rejectionOf,
  sendJson,
  tokenAnswer,
} from './support.ts';

leakGuard();

const SECRET = 'right-Secret-0a1b2c3d';
const WRONG = 'wrong-Secret-9z8y7x6w';
const ROTATED = 'rotated-Secret-5e6f7a8b';
/** client id → the secrets the identity server accepts for it. */
const CLIENTS = new Map<string, readonly string[]>([
  ['tenant-a', [SECRET, ROTATED]],
  ['a|', [SECRET]],
  ['a', [SECRET]],
]);

let idp: HostileServer;
const managers: TokenManager[] = [];
const track = <T extends TokenManager>(manager: T): T => {
  managers.push(manager);
  return manager;
};

beforeAll(async () => {
  idp = await hostileServer((_req, res, body) => {
    const form = formOf(body);
    const accepted = CLIENTS.get(form.get('client_id') ?? '') ?? [];
    if (!accepted.includes(form.get('client_secret') ?? '')) {
      sendJson(res, 401, { error: 'invalid_client', error_description: 'bad client credentials' });
      return;
    }
    tokenAnswer(res, idp.issue({ sub: form.get('client_id'), scope: form.get('scope') }));
  });
});
afterAll(() => idp.close());
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
  idp.hits.clear();
});

const unique = () => `/token/${randomUUID()}`;
const api = 'https://api.example.com';
function manager(tokenPath: string, clientId: string, clientSecret: string, scope?: string) {
  const log = eventLog();
  const provider = clientCredentials({
    tokenUrl: `${idp.origin}${tokenPath}`,
    clientId,
    clientSecret,
    ...(scope === undefined ? {} : { scope }),
  });
  const auth = track(createTokenManager(provider, { origins: [api], onEvent: log.onEvent }));
  return { auth, provider, events: log.events };
}

describe('credential binding with the process-wide memory store', () => {
  it('a wrong secret gets the identity server’s invalid_client, not the cached token', async () => {
    const path = unique();
    const right = manager(path, 'tenant-a', SECRET);
    const token = await right.auth.getToken();
    expect(idp.count(path)).toBe(1);

    const wrong = manager(path, 'tenant-a', WRONG);
    const { error } = await rejectionOf(wrong.auth.getToken());
    expect(isAuthwireError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'token_request_failed',
      status: 401,
      error: 'invalid_client',
    });
    // Exactly as if no cache existed: one token request of its own.
    expect(idp.count(path)).toBe(2);
    // At once: one attempt, no retry, no wait for a lock or a slot.
    expect(wrong.events.map((event) => event.type)).toEqual([
      'token_request',
      'token_request_failed',
    ]);
    assertNoSecrets(
      [error, wrong.events, right.events, wrong.auth, wrong.provider, right.provider],
      [SECRET, WRONG, token.accessToken],
    );
  });

  it('a rotated secret gets a new token', async () => {
    const path = unique();
    const before = await manager(path, 'tenant-a', SECRET).auth.getToken();
    const after = await manager(path, 'tenant-a', ROTATED).auth.getToken();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(idp.count(path)).toBe(2);
  });

  it('a manager per request with the same credential reuses the one token (the Azure SDK lesson)', async () => {
    const path = unique();
    const tokens = await Promise.all(
      Array.from({ length: 25 }, () => manager(path, 'tenant-a', SECRET).auth.getToken()),
    );
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(idp.count(path)).toBe(1);
  });

  it("keeps clientId 'a|' apart from clientId 'a' with scope '|'", async () => {
    const path = unique();
    const first = manager(path, 'a|', SECRET);
    const second = manager(path, 'a', SECRET, '|');
    expect(first.provider.key).not.toBe(second.provider.key);
    const [t1, t2] = [await first.auth.getToken(), await second.auth.getToken()];
    expect(t1.accessToken).not.toBe(t2.accessToken);
    expect(idp.count(path)).toBe(2);
  });

  it('norce: a wrong secret gets invalid_client, the right one the cached token', async () => {
    const path = unique();
    const make = (clientSecret: string) =>
      track(
        norce({
          clientId: 'tenant-a',
          clientSecret,
          applicationId: 1,
          environment: 'stage',
          tokenUrl: `${idp.origin}${path}`,
          baseUrl: api,
        }),
      );
    const token = await make(SECRET).getToken();
    expect((await make(SECRET).getToken()).accessToken).toBe(token.accessToken);
    expect(idp.count(path)).toBe(1);
    const { error } = await rejectionOf(make(WRONG).getToken());
    expect(error).toMatchObject({ code: 'token_request_failed', status: 401 });
    expect(idp.count(path)).toBe(2);
    assertNoSecrets([error], [SECRET, WRONG, token.accessToken]);
  });
});

describe('oracle-commerce binds the whole application key, not its unverified sub', () => {
  const b64 = (value: unknown) => btoa(JSON.stringify(value));
  const realKey = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'app-1', iss: 'adminUI' })}.c2ln+/=`;
  const forgedKey = `${b64({ alg: 'none' })}.${b64({ sub: 'app-1', iss: 'adminUI' })}.`;
  let occ: HostileServer;

  beforeAll(async () => {
    occ = await hostileServer((req, res) => {
      if (req.headers.authorization !== `Bearer ${realKey}`) {
        sendJson(res, 401, { message: 'Unauthorized', status: '401', errorCode: '83037' });
        return;
      }
      sendJson(res, 200, {
        access_token: occ.issue({ sub: 'app-1' }),
        token_type: 'bearer',
        expires_in: 300,
      });
    });
  });
  afterAll(() => occ.close());

  it('a forged alg:none key with the real key’s sub logs in itself and is refused', async () => {
    const real = track(oracleCommerce({ baseUrl: occ.origin, applicationKey: realKey }));
    const token = await real.getToken();
    const forged = track(oracleCommerce({ baseUrl: occ.origin, applicationKey: forgedKey }));
    expect(forged.key).not.toBe(real.key);
    const { error } = await rejectionOf(forged.getToken());
    expect(error).toMatchObject({ code: 'token_request_failed', status: 401 });
    expect(occ.count('/ccadmin/v1/login')).toBe(2);
    assertNoSecrets([error, real, forged], [realKey, forgedKey, token.accessToken]);
  });
});

// Two processes sharing one Redis: the fleet-wide cache must bind the credential too.
const redisUrl = process.env.AUTHWIRE_REDIS_URL;
const skipRedis = redisUrl === undefined && !process.env.CI;
const exec = promisify(execFile);
const CHILD = fileURLToPath(new URL('./redis-child.ts', import.meta.url));

describe.skipIf(skipRedis)('credential binding across two processes with redisStore', () => {
  const prefix = `authwire-attacks:${randomUUID()}:`;
  let client: ReturnType<typeof createClient>;
  let store: TokenStore;

  beforeAll(async () => {
    if (redisUrl === undefined) throw new Error('AUTHWIRE_REDIS_URL must be set when CI is set');
    client = createClient({ url: redisUrl });
    client.on('error', () => {});
    await client.connect();
    store = redisStore({ client, prefix });
  });
  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(keys);
    client.destroy();
  });

  /** Runs a manager in a child process; resolves to what it printed (a token hash or an error code). */
  async function inChild(path: string, clientSecret: string): Promise<string> {
    const { stdout } = await exec(process.execPath, ['--conditions=@authwire/source', CHILD], {
      // Not vitest's environment (NODE_OPTIONS and workers hooks): a plain second process.
      env: {
        PATH: process.env.PATH ?? '',
        REDIS_URL: redisUrl,
        PREFIX: prefix,
        TOKEN_URL: `${idp.origin}${path}`,
        CLIENT_ID: 'tenant-a',
        CLIENT_SECRET: clientSecret,
      },
      timeout: 15_000,
    });
    return stdout.trim();
  }

  it.each<[string, Record<string, unknown>]>([
    ['a CR/LF access token', { accessToken: 'abc\r\nX-Evil: 1' }],
    ["tokenType ''", { tokenType: '' }],
    ['expiresAt 1e15', { expiresAt: 1e15 }],
  ])('an unencrypted Redis entry with %s is not adopted', async (_label, change) => {
    const path = unique();
    const provider = clientCredentials({
      tokenUrl: `${idp.origin}${path}`,
      clientId: 'tenant-a',
      clientSecret: SECRET,
    });
    const now = Date.now();
    // What a tampering writer with Redis access (or a buggy other version) puts there.
    await store.set(
      provider.key,
      {
        accessToken: 'planted',
        tokenType: 'Bearer',
        issuedAt: now,
        expiresAt: now + 3_600_000,
        ...change,
      } as never,
      3_600_000,
    );
    const log = eventLog();
    const auth = track(
      createTokenManager(provider, { origins: [api], store, onEvent: log.onEvent }),
    );
    const authorization = await auth.authorize(`${api}/orders`);
    expect(authorization?.token.accessToken).toBe(idp.issued.at(-1));
    expect(idp.count(path)).toBe(1);
    assertNoSecrets([log.events, auth], [SECRET, 'X-Evil', authorization!.token.accessToken]);
  });

  it('another process with a wrong secret gets invalid_client; with the right one, the shared token', async () => {
    const path = unique();
    const first = await inChild(path, SECRET);
    expect(first).toMatch(/^token /);
    expect(idp.count(path)).toBe(1);
    // The same credential in another process: the token from Redis, no token request.
    expect(await inChild(path, SECRET)).toBe(first);
    expect(idp.count(path)).toBe(1);
    // A wrong secret: its own token request, refused.
    expect(await inChild(path, WRONG)).toBe('error token_request_failed 401');
    expect(idp.count(path)).toBe(2);

    // And in this process, through the same Redis, the same wrong secret is refused too, at once:
    // the child that failed with it released the fleet lock before exiting.
    const log = eventLog();
    const wrong = createTokenManager(
      clientCredentials({
        tokenUrl: `${idp.origin}${path}`,
        clientId: 'tenant-a',
        clientSecret: WRONG,
      }),
      { origins: [api], store, onEvent: log.onEvent },
    );
    track(wrong);
    const { error } = await rejectionOf(wrong.getToken());
    expect(error).toMatchObject({ code: 'token_request_failed', status: 401 });
    expect(idp.count(path)).toBe(3);
    // At once: one attempt, no retry, and no wait for the lock the child held (no lock_wait).
    expect(log.events.map((event) => event.type)).toEqual([
      'token_request',
      'token_request_failed',
    ]);
    // Nothing in Redis gives a secret back.
    const dump = await Promise.all(
      (await client.keys(`${prefix}*`)).map(
        async (key) => `${key} ${await client.get(key).catch(() => '')}`,
      ),
    );
    assertNoSecrets([dump.join('\n'), error], [SECRET, WRONG]);
  });
});
