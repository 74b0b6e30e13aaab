// The redirect-to-a-foreign-401 case, run by token-churn.test.ts for every client.
import { withAuth as axiosAuth } from '@authwire/axios';
import {
  authFetch,
  clientCredentials,
  createTokenManager,
  type TokenManager,
} from '@authwire/core';
import axios from 'axios';
import { expect } from 'vitest';
import { CALLERS, type Get } from '../faults/callers.ts';
import { assertNoSecrets, eventLog, hostileServer, tokenAnswer } from './support.ts';

const SECRET = 'churn-Secret-8080';
const CALLS = 25;

/** Every client a caller may reach an API with: the adapters, authFetch, axios's fetch adapter. */
export const CHURN_CALLERS: readonly { name: string; create: (auth: TokenManager) => Get }[] = [
  ...CALLERS.filter((caller) => caller.name !== 'core'),
  {
    name: 'authFetch',
    create: (auth) => {
      const send = authFetch(auth);
      return async (url) => {
        const response = await send(url);
        await response.arrayBuffer();
        return response.status;
      };
    },
  },
  {
    name: "axios (adapter: 'fetch')",
    create: (auth) => {
      const client = axiosAuth(
        axios.create({ adapter: 'fetch', validateStatus: () => true }),
        auth,
      );
      return async (url) => (await client.get(url)).status;
    },
  },
];

/**
 * An API endpoint that redirects to a foreign origin answering 401: the caller sees the 401, but
 * the token was never rejected by the API's origin, so nothing is invalidated and no token is
 * requested (25 calls, 1 token request), and the foreign origin never sees the token.
 */
export async function redirectToForeign401(callerName: string): Promise<void> {
  const caller = CHURN_CALLERS.find((c) => c.name === callerName);
  if (!caller) throw new Error(`no caller ${callerName}`);
  const foreign = await hostileServer((_req, res) => {
    res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
    res.end('{"error":"invalid_token"}');
  });
  const api = await hostileServer((req, res) => {
    if (req.url?.startsWith('/token')) {
      tokenAnswer(res, api.issue());
      return;
    }
    res.writeHead(302, { location: `${foreign.origin}/landing` });
    res.end();
  });
  const log = eventLog();
  const auth = createTokenManager(
    clientCredentials({ tokenUrl: `${api.origin}/token`, clientId: 'c', clientSecret: SECRET }),
    { origins: [api.origin], onEvent: log.onEvent },
  );
  try {
    const get = caller.create(auth);
    const started = performance.now();
    const statuses: number[] = [];
    for (let i = 0; i < CALLS; i++) statuses.push(await get(`${api.origin}/api/orders`));
    expect(statuses.every((status) => status === 401)).toBe(true);
    expect(api.count('/token')).toBe(1);
    expect(log.events.filter((e) => e.type === 'token_invalidated')).toEqual([]);
    expect(performance.now() - started).toBeLessThan(10_000);
    // The token never travelled to the foreign origin.
    expect(foreign.authorizations.filter((a) => a.authorization !== undefined)).toEqual([]);
    assertNoSecrets([log.events, auth], [SECRET, ...api.issued]);
  } finally {
    await auth.close();
    await Promise.all([api.close(), foreign.close()]);
  }
}
