// An AWS Lambda handler (API Gateway HTTP API) with Redis: the Redis client and the token
// manager are created once per instance, at module level, and reused by every invocation that
// instance serves. The Redis store shares one token, and one token request, across all instances
// (Norce allows 3 token requests per minute per IP; 50 cold starts must not make 50).
import { withAuth } from '@authwire/axios';
import { norce } from '@authwire/norce';
import { redisStore } from '@authwire/redis';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import axios from 'axios';
import { createClient } from 'redis';
import { norceEnv, requiredEnv } from './norce-env.ts';

const redis = createClient({ url: requiredEnv('REDIS_URL'), disableOfflineQueue: true });
redis.on('error', (error: Error) => console.warn('redis:', error.message)); // node-redis needs one
// Connected once per instance; a failed connect is retried by the next invocation.
let connecting: Promise<unknown> | undefined;
const connected = (): Promise<unknown> => {
  connecting ??= redis.connect().catch((error: unknown) => {
    connecting = undefined;
    throw error;
  });
  return connecting;
};

const auth = norce({
  ...norceEnv(),
  // TOKEN_KEY: 32 random bytes in base64 (`openssl rand -base64 32`), the same on every instance.
  store: redisStore({
    client: redis,
    encryptionKey: requiredEnv('TOKEN_KEY'),
    prefix: `${process.env.APP_NAME ?? 'app'}:authwire:`,
  }),
});
const api = withAuth(axios.create({ baseURL: auth.baseUrl, timeout: 10_000 }), auth);

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  await connected();
  const page = event.queryStringParameters?.page ?? '1';
  const { data } = await api.get('/commerce/product/1.1/ListProducts', {
    params: { format: 'json', pageNo: page },
  });
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(data),
  };
}

/** Ends this instance's manager and Redis connection (Lambda never does; tests and scripts do). */
export async function closeInstance(): Promise<void> {
  await auth.close();
  if (redis.isOpen) await redis.quit();
}
