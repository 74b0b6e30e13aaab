// What the hot-path scenario and the profiling script both run on: a warm token cache and stub
// transports, so the profile shows exactly what the scenario measures and no network at all.
import { createTokenManager, memoryStore, type Token, type TokenManager } from '@authwire/core';
import type { AxiosAdapter } from 'axios';

/** A discard-port origin: nothing is ever sent to it. */
export const ORIGIN = 'http://127.0.0.1:9';
export const URL_ = `${ORIGIN}/orders`;

/** A manager whose provider hands out a static long-lived token: the cache is always warm. */
export function staticManager(key: string): TokenManager {
  return createTokenManager(
    {
      key,
      fetchToken: async (): Promise<Token> => ({
        accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl',
        tokenType: 'Bearer',
        issuedAt: Date.now(),
        expiresAt: Date.now() + 3_600_000,
      }),
    },
    { origins: [ORIGIN], store: memoryStore() },
  );
}

/** axios without a transport: every request answers 200 `{}`. */
export const stubAdapter: AxiosAdapter = async (config) => ({
  data: '{}',
  status: 200,
  statusText: 'OK',
  headers: {},
  config,
  request: {},
});

/** fetch without a network: every request answers 200 `{}` as JSON. */
export const stubFetch = async (): Promise<Response> =>
  new Response('{}', { headers: { 'content-type': 'application/json' } });
