// What a store author hands the suite: a factory of fixtures (the store, a peer, a clock), and flags.
import type { Token, TokenStore } from '@authwire/core';

/** One test's store, built fresh by the factory for every test. */
export interface StoreFixture {
  readonly store: TokenStore;
  /**
   * A second handle on the same data: another connection, as another process would have. The
   * sharing tests use it; without one they use `store` twice (an in-process store).
   */
  readonly peer?: TokenStore;
  /**
   * Moves the store's clock forward by `ms` (e.g. `manualClock().advance`). Without it the TTL
   * and lock-expiry tests use real time with TTLs of a few hundred ms.
   */
  readonly advance?: (ms: number) => void | Promise<void>;
  /** Runs after the test, passed or failed (close connections, delete keys). */
  readonly close?: () => void | Promise<void>;
}

/** Called once per test. Keep it cheap: connect once outside, hand out stores here. */
export type StoreFactory = () => StoreFixture | Promise<StoreFixture>;

export interface TokenStoreSuiteOptions {
  /** The describe block's name; default `TokenStore conformance`. */
  readonly name?: string;
  /**
   * `false` for a store without `lock` (a single-process store: the manager's single-flight
   * already covers one process). Default `true`: the lock group runs and `lock` must exist.
   */
  readonly lock?: boolean;
  /** fast-check runs of the interleaving property; default 30. */
  readonly numRuns?: number;
}

/** The resolved options. */
export interface SuiteSettings {
  readonly lock: boolean;
  readonly numRuns: number;
}

/** Real-time TTLs: long enough for a round trip on a loaded machine, short enough to wait out. */
export const REAL_TTL_MS = 300;
/** How long a real-time expiry may take to show (a store may evict lazily or a little late). */
export const EXPIRY_DEADLINE_MS = 2_000;

let serial = 0;
/** A cache key no other test (or earlier run against a shared server) uses. */
export function freshKey(name: string = 'key'): string {
  serial += 1;
  const nonce = Math.random().toString(36).slice(2, 10);
  return `https://auth.example/token|suite-${nonce}-${serial}|${name}`;
}

/** A token whose access token is unique, so compare-and-delete can tell tokens apart. */
export function makeToken(overrides: Partial<Token> = {}): Token {
  serial += 1;
  const issuedAt = Date.now();
  return {
    accessToken: `at-${Math.random().toString(36).slice(2)}-${serial}`,
    tokenType: 'Bearer',
    issuedAt,
    expiresAt: issuedAt + 3_600_000,
    scope: 'read write',
    ...overrides,
  };
}

/** Resolves once `probe` answers `true`, polling; rejects after `timeoutMs`. */
export async function eventually(
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs: number = EXPIRY_DEADLINE_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `body` with a fresh fixture and always closes it. */
export function withFixture(
  factory: StoreFactory,
  body: (fixture: StoreFixture & { readonly peer: TokenStore }) => Promise<void>,
): () => Promise<void> {
  return async () => {
    const fixture = await factory();
    try {
      await body({ ...fixture, peer: fixture.peer ?? fixture.store });
    } finally {
      await fixture.close?.();
    }
  };
}
