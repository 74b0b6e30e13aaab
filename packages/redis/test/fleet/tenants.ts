// Many tenants per fleet member: one Norce credential per tenant, one manager each (managerPool),
// all on the fleet's Redis store and its rate gate, under a declared limit scaled like the mock's.
import { setTimeout as sleep } from 'node:timers/promises';
import { createTokenManager, managerPool, type TokenEvent, type TokenStore } from '@authwire/core';
import { axios, norceProvider, withAuth } from './siblings.ts';

/** How a `tenants` worker behaves. */
export interface TenantsConfig {
  /** Tenants (Norce credentials) every process serves: tenant-0 … tenant-(count-1). */
  readonly count: number;
  /** Concurrent API requests per tenant and process, all sent at `go`. */
  readonly requestsPerTenant: number;
  /**
   * Tenants this process's traffic asks for first (`first` … `first + count - 1`); the rest follow
   * `othersAfterMs` later. Without it the first process to reach Redis takes every tenant's lock
   * (its 30 lock attempts arrive in one write) and fetches every token itself, so its own bucket
   * alone would keep the fleet inside the limit; with it the token requests (the lock holders)
   * are spread over the fleet, as when each service first gets traffic for different tenants.
   */
  readonly own?: {
    readonly first: number;
    readonly count: number;
    readonly othersAfterMs: number;
    /**
     * Instead of `othersAfterMs`: the rest once every process has tried the lock of each of its
     * own tenants (the parent says so), however long a starved process took to reach Redis.
     */
    readonly othersAfterFleet?: boolean;
  };
  /** The declared limit, scaled with the mock's (e.g. 3 per 1 000 ms, burst 20). */
  readonly limit: {
    readonly requests: number;
    readonly intervalMs: number;
    readonly burst: number;
  };
}

/** The credential of tenant `index`, as the mock's clients and the workers both see it. */
export function tenantCredentials(index: number): {
  clientId: string;
  clientSecret: string;
  applicationId: number;
} {
  return {
    clientId: `tenant-${index}`,
    clientSecret: `tenant-secret-${index}`,
    applicationId: 1_000 + index,
  };
}

/** What a tenants run reports besides the usual counts. */
export interface TenantsReport {
  /** `Date.now()` of each tenant's first successful API answer in this process. */
  readonly firstOkAt: number[];
  /** `rate_limited` events (the manager waiting or refusing under the limit). */
  readonly rateLimitedEvents: number;
  /** `store_error` events for the rate gate (fallbacks to the per-process bucket). */
  readonly gateErrors: number;
  /** When (its `performance.now()`) this process sent each token request. */
  readonly tokenRequestsAt: number[];
  /**
   * Slots the fleet gate (Redis) granted this process. Every token request passes the gate once:
   * a granted slot or, when the gate call fails, this process's own bucket (its `degradedShare`
   * of the limit); so at least `tokenRequestsAt.length - fleetAdmissions` went by the bucket.
   */
  readonly fleetAdmissions: number;
  /**
   * When the first rate-gate call that failed began (`performance.now()`, the manager's own
   * clock), or null: the per-process bucket starts full at that moment (the manager reads its
   * clock before it asks the gate).
   */
  readonly degradedSince: number | null;
}

export interface TenantsRun {
  /** Sends every tenant's requests at once and resolves when all are answered. */
  run(): Promise<{ ok: number; failures: string[]; tokens: string[] }>;
  report(): TenantsReport;
  close(): Promise<void>;
}

const productsPath = '/commerce/product/1.1/ListProducts';

export function tenantsRun(
  config: TenantsConfig,
  target: { tokenUrl: string; apiOrigin: string },
  store: TokenStore,
  hooks: {
    onFetch: () => void;
    fingerprint: (accessToken: string) => string;
    /** Says this process tried its own tenants' locks; resolves when every process has. */
    ownClaimed?: () => Promise<void>;
  },
): TenantsRun {
  const events: TokenEvent[] = [];
  const tokenRequestsAt: number[] = [];
  const gate = watchGate(store);
  const locks = watchLocks(store);
  const firstOkAt: number[] = Array(config.count).fill(0);
  const pool = managerPool(
    (tenant) => {
      const provider = norceProvider({
        ...tenantCredentials(Number(tenant)),
        environment: 'playground',
        tokenUrl: target.tokenUrl,
        baseUrl: target.apiOrigin,
      });
      return createTokenManager(
        { ...provider, rateLimit: { ...config.limit, key: provider.rateLimit.key } },
        {
          store,
          origins: provider.origins,
          onEvent: (event) => {
            events.push(event);
            if (event.type === 'token_request') tokenRequestsAt.push(performance.now());
          },
          fetch: (input, init) => {
            hooks.onFetch();
            return globalThis.fetch(input, init);
          },
        },
      );
    },
    { max: config.count, idleMs: Number.POSITIVE_INFINITY },
  );

  return {
    async run() {
      let ok = 0;
      const failures: string[] = [];
      const tokens = new Set<string>();
      const one = async (index: number): Promise<void> => {
        try {
          const manager = await pool.get(String(index));
          const api = withAuth(
            axios.create({ baseURL: target.apiOrigin, timeout: 60_000 }),
            manager,
          );
          const response = await api.get<{ ItemCount?: number }>(productsPath);
          if (response.status !== 200 || response.data.ItemCount !== 2) {
            throw new Error(`unexpected answer ${response.status}`);
          }
          const at = Date.now();
          if (firstOkAt[index] === 0 || at < firstOkAt[index]!) firstOkAt[index] = at;
          tokens.add(
            hooks.fingerprint(
              String(response.config.headers.Authorization).replace(/^Bearer /, ''),
            ),
          );
          ok += 1;
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      };
      const own = config.own ?? { first: 0, count: config.count, othersAfterMs: 0 };
      const isOwn = (index: number) =>
        (index - own.first + config.count) % config.count < own.count;
      const send = (which: (index: number) => boolean): Promise<void>[] => {
        const sent: Promise<void>[] = [];
        for (let round = 0; round < config.requestsPerTenant; round++) {
          for (let index = 0; index < config.count; index++)
            if (which(index)) sent.push(one(index));
        }
        return sent;
      };
      const all = send(isOwn);
      if (own.othersAfterFleet && hooks.ownClaimed) {
        await locks.tried(own.count);
        await hooks.ownClaimed();
      } else await sleep(own.othersAfterMs);
      all.push(...send((index) => !isOwn(index)));
      await Promise.all(all);
      return { ok, failures, tokens: [...tokens] };
    },
    report: () => ({
      firstOkAt,
      rateLimitedEvents: events.filter((event) => event.type === 'rate_limited').length,
      gateErrors: events.filter(
        (event) => event.type === 'store_error' && event.operation === 'rateGate',
      ).length,
      tokenRequestsAt,
      fleetAdmissions: gate.admissions(),
      degradedSince: gate.failingSince(),
    }),
    close: () => pool.close(),
  };
}

/** Counts the store's lock calls that returned (acquired or held elsewhere); left as they are. */
function watchLocks(store: TokenStore): { tried: (count: number) => Promise<void> } {
  let tried = 0;
  const waiting: { count: number; resolve: () => void }[] = [];
  const lock = store.lock?.bind(store);
  if (lock) {
    Object.assign(store, {
      lock: async (...args: Parameters<typeof lock>) => {
        try {
          return await lock(...args);
        } finally {
          tried += 1;
          for (const waiter of waiting.filter((w) => w.count <= tried)) waiter.resolve();
        }
      },
    });
  }
  return {
    tried: (count) =>
      tried >= count || !lock
        ? Promise.resolve()
        : new Promise((resolve) => waiting.push({ count, resolve })),
  };
}

/**
 * Watches the store's rate gate (it is left to answer as it does): how many slots it granted, and
 * when the first call that failed began.
 */
function watchGate(store: TokenStore): {
  admissions: () => number;
  failingSince: () => number | null;
} {
  let admissions = 0;
  let since: number | null = null;
  const gate = store.rateGate;
  if (gate) {
    const take = gate.take.bind(gate);
    Object.assign(gate, {
      take: async (...args: Parameters<typeof take>) => {
        const startedAt = performance.now();
        try {
          const answer = await take(...args);
          if (answer.admitted) admissions += 1;
          return answer;
        } catch (error) {
          since = Math.min(since ?? startedAt, startedAt);
          throw error;
        }
      },
    });
  }
  return { admissions: () => admissions, failingSince: () => since };
}
