// A second process for credential-binding-across-processes: one manager on a shared Redis store.
// Prints `token <sha256 of the access token>` or `error <code> <status>`; never the token itself.
import { createHash } from 'node:crypto';
import { clientCredentials, createTokenManager } from '@authwire/core';
import { redisStore } from '@authwire/redis';
import { createClient } from 'redis';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const client = createClient({ url: env('REDIS_URL') });
client.on('error', () => {});
await client.connect();
const auth = createTokenManager(
  clientCredentials({
    tokenUrl: env('TOKEN_URL'),
    clientId: env('CLIENT_ID'),
    clientSecret: env('CLIENT_SECRET'),
  }),
  { origins: ['https://api.example.com'], store: redisStore({ client, prefix: env('PREFIX') }) },
);
try {
  const token = await auth.getToken();
  console.log(`token ${createHash('sha256').update(token.accessToken).digest('hex')}`);
} catch (error) {
  const { code, status } = error as { code?: string; status?: number };
  console.log(`error ${code} ${status}`);
} finally {
  await auth.close();
  client.destroy();
}
