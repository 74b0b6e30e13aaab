// A redirect to a foreign origin answering 401 must not cost a token: no invalidation, no token request.
import { randomUUID } from 'node:crypto';
import { redisStore } from '@authwire/redis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CHURN_CALLERS, redirectToForeign401 } from './churn-cases.ts';
import { leakGuard } from './support.ts';

leakGuard();

describe('redirect to a foreign origin answering 401', () => {
  it.each(CHURN_CALLERS.map((c) => c.name))(
    '%s: 25 calls, 1 token request, nothing invalidated',
    (name) => redirectToForeign401(name),
  );
});

const redisUrl = process.env.AUTHWIRE_REDIS_URL;
describe.skipIf(redisUrl === undefined && !process.env.CI)('with a fleet-wide redisStore', () => {
  const prefix = `authwire-attacks-churn:${randomUUID()}:`;
  let client: ReturnType<typeof createClient>;
  beforeAll(async () => {
    if (redisUrl === undefined) throw new Error('AUTHWIRE_REDIS_URL must be set when CI is set');
    client = createClient({ url: redisUrl });
    client.on('error', () => {});
    await client.connect();
  });
  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length) await client.del(keys);
    client.destroy();
  });

  it.each(['ky', 'authFetch'])('%s: the fleet’s token is not deleted from Redis', (name) =>
    redirectToForeign401(name, redisStore({ client, prefix })),
  );
});
