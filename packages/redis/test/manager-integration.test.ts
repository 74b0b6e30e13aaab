// The core token manager on redisStore: managers with separate in-process state act as one fleet.
import {
  createTokenManager,
  type Token,
  type TokenEvent,
  type TokenManager,
  type TokenProvider,
} from '@authwire/core';
import type { FetchContext } from '@authwire/core/kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisStore } from '../src/index.ts';
import { freePort } from './private-redis.ts';
import {
  deleteKeys,
  ioredis,
  nodeRedis,
  requireRedisUrl,
  skipRedis,
  type TestClient,
  uniquePrefix,
} from './redis-env.ts';

const origin = 'https://api.example.com';

/** A provider that counts its fetches; each takes `delayMs` so callers pile up behind it. */
function countingProvider(key: string, delayMs = 50) {
  const fetched: Token[] = [];
  const reasons: string[] = [];
  const provider: TokenProvider = {
    key,
    origins: [origin],
    async fetchToken(context: FetchContext): Promise<Token> {
      reasons.push(context.reason);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const issuedAt = Date.now();
      const token = {
        accessToken: `at-${fetched.length + 1}-${crypto.randomUUID()}`,
        tokenType: 'Bearer',
        issuedAt,
        expiresAt: issuedAt + 3_600_000,
      };
      fetched.push(token);
      return token;
    },
  };
  return { provider, fetched, reasons };
}

describe.skipIf(skipRedis)('token manager on redisStore', () => {
  const prefix = uniquePrefix();
  const clients: TestClient[] = [];
  const managers: TokenManager[] = [];
  let providerKey = 0;
  const nextKey = () => `https://auth.example.com/token|fleet-${++providerKey}`;

  beforeAll(async () => {
    const url = requireRedisUrl();
    // Four "processes": each has its own connection and store, hence its own in-process state.
    clients.push(
      ...(await Promise.all([
        nodeRedis.connect(url),
        ioredis.connect(url),
        nodeRedis.connect(url),
        ioredis.connect(url),
      ])),
    );
  });
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
  });
  afterAll(async () => {
    if (clients[0]) await deleteKeys(clients[0], prefix);
    await Promise.all(clients.map((client) => client.close()));
  });

  function fleet(provider: TokenProvider, onEvent?: (event: TokenEvent) => void): TokenManager[] {
    const created = clients.map((test) =>
      createTokenManager(provider, {
        store: redisStore({ client: test.client, prefix }),
        ...(onEvent ? { onEvent } : {}),
      }),
    );
    managers.push(...created);
    return created;
  }

  it('does fetch one token for hundreds of concurrent callers across four managers', async () => {
    const { provider, fetched } = countingProvider(nextKey());
    const members = fleet(provider);
    const tokens = await Promise.all(
      Array.from({ length: 400 }, (_, i) => members[i % members.length]!.getToken()),
    );
    expect(fetched).toHaveLength(1);
    expect(new Set(tokens.map((token) => token.accessToken))).toEqual(
      new Set([fetched[0]!.accessToken]),
    );
  });

  it('does heal a 401 with one fetch, and a stale 401 elsewhere adopts the new token', async () => {
    const { provider, fetched, reasons } = countingProvider(nextKey());
    const [first, second] = fleet(provider);
    const original = await first!.getToken();
    expect(await second!.getToken()).toEqual(original);

    const healed = await first!.reauthorize(`${origin}/orders`, original);
    expect(healed?.token.accessToken).not.toBe(original.accessToken);
    // The second manager sees the same 401 late: its delete must not remove the new token.
    const adopted = await second!.reauthorize(`${origin}/orders`, original);
    expect(adopted?.token.accessToken).toBe(healed?.token.accessToken);
    expect(fetched).toHaveLength(2);
    expect(reasons).toEqual(['initial', 'unauthorized']);
  });

  it('does fall back to in-process behaviour when Redis is down', async () => {
    const { Redis } = await import('ioredis');
    const client = new Redis(await freePort(), '127.0.0.1', { maxRetriesPerRequest: null });
    client.on('error', () => {});
    try {
      const { provider, fetched } = countingProvider(nextKey(), 10);
      const events: TokenEvent[] = [];
      const manager = createTokenManager(provider, {
        store: redisStore({ client, commandTimeoutMs: 100 }),
        onEvent: (event) => events.push(event),
      });
      managers.push(manager);
      const tokens = await Promise.all(Array.from({ length: 50 }, () => manager.getToken()));
      expect(fetched).toHaveLength(1);
      expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
      const storeErrors = events.filter((event) => event.type === 'store_error');
      expect(storeErrors.length).toBeGreaterThan(0);
      for (const event of storeErrors) {
        expect(event.error.message).not.toContain(fetched[0]!.accessToken);
      }
    } finally {
      client.disconnect();
    }
  });

  it('does hold a declared limit across managers of different keys and stores (the fleet gate)', async () => {
    // Six tenants, one identity endpoint: 3 at once, then one a minute, for the whole "fleet".
    const limit = {
      requests: 1,
      intervalMs: 60_000,
      burst: 3,
      key: `https://id-${crypto.randomUUID()}.example.com`,
    };
    const events: TokenEvent[] = [];
    const tenants = Array.from({ length: 6 }, () => countingProvider(nextKey(), 5));
    const members = tenants.map(({ provider }, i) =>
      createTokenManager(
        { ...provider, rateLimit: limit },
        {
          // Each tenant's manager on another "process" (connection and store of its own).
          store: redisStore({ client: clients[i % clients.length]!.client, prefix }),
          onEvent: (event) => events.push(event),
        },
      ),
    );
    managers.push(...members);
    const outcomes = await Promise.allSettled(members.map((manager) => manager.getToken()));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    expect(tenants.reduce((n, t) => n + t.fetched.length, 0)).toBe(3);
    // The other three are refused at once (their slots are 1, 2 and 3 minutes out), by the fleet.
    const refused = outcomes.filter((o) => o.status === 'rejected');
    for (const outcome of refused) {
      expect(outcome.reason).toMatchObject({ code: 'rate_limited' });
      expect(outcome.reason.retryAfterMs).toBeGreaterThan(50_000);
    }
    const limited = events.filter((event) => event.type === 'rate_limited');
    expect(limited.length).toBeGreaterThanOrEqual(3);
    expect(limited.every((event) => event.source === 'fleet')).toBe(true);
    expect(events.some((event) => event.type === 'store_error')).toBe(false);
  });

  it('does fall back to the per-process bucket, never to unlimited, when the gate cannot reach Redis', async () => {
    const { Redis } = await import('ioredis');
    const client = new Redis(await freePort(), '127.0.0.1', {
      maxRetriesPerRequest: null,
      enableOfflineQueue: false,
    });
    client.on('error', () => {});
    try {
      const limit = {
        requests: 1,
        intervalMs: 60_000,
        burst: 2,
        key: `https://id-${crypto.randomUUID()}.example.com`,
      };
      // A share of 1: this process alone may use the whole limit while Redis is down.
      const store = redisStore({ client, commandTimeoutMs: 100, degradedShare: 1 });
      const events: TokenEvent[] = [];
      const tenants = Array.from({ length: 4 }, () => countingProvider(nextKey(), 5));
      const members = tenants.map(({ provider }) =>
        createTokenManager(
          { ...provider, rateLimit: limit },
          { store, onEvent: (event) => events.push(event) },
        ),
      );
      managers.push(...members);
      const outcomes = await Promise.allSettled(members.map((manager) => manager.getToken()));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
      const gateErrors = events.filter(
        (event) => event.type === 'store_error' && event.operation === 'rateGate',
      );
      expect(gateErrors.length).toBeGreaterThanOrEqual(4);
      for (const event of gateErrors) {
        if (event.type === 'store_error') expect(event.error.name).toBe('RedisStoreError');
      }
      const refusals = events.filter((e) => e.type === 'rate_limited' && !e.willWait);
      expect(refusals.map((e) => e.type === 'rate_limited' && e.source)).toEqual([
        'bucket',
        'bucket',
      ]);
    } finally {
      client.disconnect();
    }
  });
});
