// The Node 20 consumer (Node 20 is end of life, but the packages promise it: engines >= 20).
// Installed with npm under Node 20 with engine-strict, with the client versions that run there
// (ky 1, got 14): axios, ky, got and openapi-fetch with the Norce and Oracle presets against a
// loopback platform, the CJS builds, and a 50-request 401 herd on the Redis store when
// AUTHWIRE_REDIS_URL is set. Any process warning (MaxListenersExceededWarning…) fails the run.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { withAuth as withAxios } from '@authwire/axios';
import { memoryStore } from '@authwire/core';
import { withAuth as withGot } from '@authwire/got';
import { authHooks } from '@authwire/ky';
import { norce } from '@authwire/norce';
import { withAuth as withOpenapiFetch } from '@authwire/openapi-fetch';
import { oracleCommerce } from '@authwire/oracle-commerce';
import axios from 'axios';
import got from 'got';
import ky from 'ky';
import createClient from 'openapi-fetch';
import { startPlatformServer } from './platform-server.mjs';

const warnings = [];
process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));

const require = createRequire(import.meta.url);
for (const name of ['@authwire/core', '@authwire/axios', '@authwire/norce', '@authwire/redis']) {
  assert.match(require.resolve(name), /[/\\]dist[/\\]index\.cjs$/, `${name} has a CJS build`);
  assert.equal(typeof require(name), 'object');
}

const platform = await startPlatformServer();
const norceAuth = (store = memoryStore()) =>
  norce({
    clientId: 'consumer',
    clientSecret: 'consumer-secret',
    applicationId: 1234,
    clientName: 'acme',
    environment: 'stage',
    tokenUrl: `${platform.origin}/identity/1.0/connect/token`,
    baseUrl: platform.origin,
    store,
  });
const closing = [];
try {
  const auth = norceAuth();
  closing.push(auth);
  const api = withAxios(axios.create({ baseURL: auth.baseUrl }), auth);
  const { data } = await api.get('/commerce/metadata/1.1/GetApplication');
  assert.equal(data.applicationId, '1234');
  platform.revokeAll();
  assert.equal((await api.post('/commerce/order/1.1/x', { n: 1 })).data.body, '{"n":1}');
  assert.equal(platform.counts.norceTokens, 2, 'axios: one refresh for the revoked token');

  const gotAuth = norceAuth();
  closing.push(gotAuth);
  const client = withGot(got.extend({ prefixUrl: platform.origin, retry: { limit: 0 } }), gotAuth);
  assert.equal(
    (await client.get('commerce/product/1.1/ListProducts').json()).path,
    '/commerce/product/1.1/ListProducts',
  );

  const fetchAuth = norceAuth();
  closing.push(fetchAuth);
  const typed = withOpenapiFetch(createClient({ baseUrl: platform.origin }), fetchAuth);
  assert.equal((await typed.GET('/commerce/customer/1.1/GetCustomer')).response.status, 200);

  const occ = oracleCommerce({
    baseUrl: platform.origin,
    applicationKey: 'consumer-app-key',
    store: memoryStore(),
  });
  closing.push(occ);
  const k = ky.create({ prefixUrl: occ.apiUrl, hooks: authHooks(occ), retry: 0 });
  assert.match((await k.get('orders').json()).token, /^oracle-/);

  if (process.env.AUTHWIRE_REDIS_URL) {
    const { createClient: createRedis } = await import('redis');
    const { redisStore } = await import('@authwire/redis');
    const redis = createRedis({ url: process.env.AUTHWIRE_REDIS_URL, disableOfflineQueue: true });
    redis.on('error', () => {});
    await redis.connect();
    try {
      const store = redisStore({ client: redis, prefix: `consumer-${process.pid}-${Date.now()}:` });
      const herd = norceAuth(store);
      closing.push(herd);
      const first = await herd.getToken();
      const before = platform.counts.norceTokens;
      const healed = await Promise.all(
        Array.from({ length: 50 }, () => herd.reauthorize(`${platform.origin}/x`, first)),
      );
      assert.equal(new Set(healed.map((a) => a?.token.accessToken)).size, 1);
      assert.equal(platform.counts.norceTokens, before + 1, 'the herd makes one token request');
      await herd.close();
    } finally {
      await redis.quit();
    }
    console.log('node20: 50-request 401 herd on the Redis store: one refresh');
  } else {
    console.log('node20: AUTHWIRE_REDIS_URL not set: Redis herd not run');
  }
} finally {
  for (const auth of closing) await auth.close();
  await platform.close();
}
await new Promise((resolve) => setImmediate(resolve));
assert.deepEqual(warnings, [], 'no process warnings');
console.log(`node20 (${process.version}): axios, got, openapi-fetch + Norce, ky + Oracle ok`);
