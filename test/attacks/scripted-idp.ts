// A scripted client-credentials identity server and manager bookkeeping for the manager-level attack files.
import { randomUUID } from 'node:crypto';
import {
  clientCredentials,
  memoryStore,
  type TokenManager,
  type TokenProvider,
  type TokenStore,
} from '@authwire/core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type HostileServer, hostileServer, sendJson, tokenAnswer, within } from './support.ts';

/** A promise that never settles: what a stuck store or provider returns. */
export const never = <T>(): Promise<T> => new Promise<T>(() => {});

export interface ScriptedIdp {
  /** The server (after beforeAll). */
  readonly idp: HostileServer;
  /** A client-credentials provider on `path`, whose next answers are `script` ('429:<s>', '401'), then tokens. */
  provider(path: string, script?: string[]): TokenProvider;
  /** A token path no other test uses (so no two tests share a cache key). */
  uniquePath(): string;
  /** Closes `manager` after the test (bounded: a hang fails the test instead of the suite). */
  track<T extends TokenManager>(manager: T): T;
}

/** Registers the server's hooks; call once at the top of a test file. */
export function useScriptedIdp(secret: string): ScriptedIdp {
  const scripts = new Map<string, string[]>();
  const managers: TokenManager[] = [];
  let server: HostileServer | undefined;
  beforeAll(async () => {
    server = await hostileServer((req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const next = scripts.get(path)?.shift();
      if (next?.startsWith('429:')) {
        sendJson(res, 429, { error: 'slow_down' }, { 'retry-after': next.slice(4) });
      } else if (next === '401') {
        sendJson(res, 401, { error: 'invalid_client' });
      } else {
        tokenAnswer(res, server!.issue());
      }
    });
  });
  afterAll(() => server?.close());
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => within(m.close(), 10_000, 'close()')));
  });
  return {
    get idp() {
      if (!server) throw new Error('the scripted identity server is not started yet');
      return server;
    },
    provider(path, script = []) {
      scripts.set(path, script);
      return clientCredentials({
        tokenUrl: `${this.idp.origin}${path}`,
        clientId: 'c',
        clientSecret: secret,
      });
    },
    uniquePath: () => `/token/${randomUUID()}`,
    track(manager) {
      managers.push(manager);
      return manager;
    },
  };
}

/** A memory store with some operations that never settle. */
export function hungStore(hung: readonly ('get' | 'set' | 'delete')[]): TokenStore {
  const inner = memoryStore();
  return {
    get: hung.includes('get') ? () => never() : (key) => inner.get(key),
    set: hung.includes('set') ? () => never() : (key, token, ttl) => inner.set(key, token, ttl),
    delete: hung.includes('delete') ? () => never() : (key, token) => inner.delete(key, token),
  };
}
