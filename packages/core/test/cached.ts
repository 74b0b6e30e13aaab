// What authorize() hands out at once, without waiting for a token request: the hot path, seen from outside.
import type { Authorization, TokenManager } from '../src/index.ts';

/** The Authorization `auth.authorize(url)` settles with within a few microtasks, else undefined (it waits). */
export async function cached(
  auth: TokenManager,
  url: string | URL,
): Promise<Authorization | undefined> {
  let settled = false;
  let value: Authorization | undefined;
  auth.authorize(url).then(
    (authorization) => {
      settled = true;
      value = authorization;
    },
    () => {
      settled = true;
    },
  );
  for (let i = 0; i < 3; i++) await Promise.resolve();
  return settled ? value : undefined;
}
