// One process of the refresh-token fleet: a manager on the shared Redis store, asking for a token every 50 ms until told to stop.
// Sends `{ rotated }` for each onRotate, `{ seen }` for each new access token it gets, and a final
// `{ report }`; only SHA-256 digests of tokens leave the process.
import { createHash } from 'node:crypto';
import { createTokenManager } from '@authwire/core';
import { refreshToken } from '@authwire/core/grants';
import { redisStore } from '@authwire/redis';
import { createClient } from 'redis';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const digest = (value: string): string => createHash('sha256').update(value).digest('hex');
const send = (message: unknown): void => {
  process.send?.(message);
};

const client = createClient({ url: env('REDIS_URL') });
client.on('error', () => {});
await client.connect();
const auth = createTokenManager(
  refreshToken({
    issuer: env('ISSUER'),
    clientId: 'rt-client',
    clientSecret: env('CLIENT_SECRET'),
    refreshToken: env('REFRESH_TOKEN'),
    onRotate: (next) => send({ rotated: digest(next) }),
  }),
  {
    origins: ['https://api.example.test'],
    store: redisStore({ client, prefix: env('PREFIX'), encryptionKey: env('ENCRYPTION_KEY') }),
    // A process killed while holding the lock blocks the others for at most this long.
    lockTtlMs: 2_000,
  },
);

const tokens: string[] = [];
const errors: string[] = [];
let stopping = false;
process.on('message', (message) => {
  if (message === 'stop') stopping = true;
});
send('ready');
while (!stopping) {
  try {
    const seen = digest((await auth.getToken()).accessToken);
    if (tokens.at(-1) !== seen) {
      tokens.push(seen);
      send({ seen });
    }
  } catch (error) {
    errors.push(String((error as { code?: unknown }).code ?? error));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await auth.close();
client.destroy();
send({ report: { tokens, errors } });
process.disconnect?.();
