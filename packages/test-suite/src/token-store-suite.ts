// tokenStoreSuite: every TokenStore contract group, for store authors, in keyv's test-suite shape.
import type { SuiteApi } from './api.ts';
import { compareAndDeleteGroup } from './compare-and-delete.ts';
import type { StoreFactory, TokenStoreSuiteOptions } from './fixture.ts';
import { getSetGroup } from './get-set.ts';
import { interleavingsGroup } from './interleavings.ts';
import { lockGroup } from './lock.ts';
import { ttlGroup } from './ttl.ts';

/**
 * Registers the TokenStore conformance tests with your runner: get/set, TTL, compare-and-delete,
 * lock exclusivity and expiry, and a fast-check property over concurrent set/delete/get.
 * `factory` is called once per test. The whole suite takes a few seconds on real time.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { tokenStoreSuite } from '@authwire/test-suite';
 * import { memoryStore } from '@authwire/core';
 *
 * tokenStoreSuite({ describe, it, expect }, () => ({ store: memoryStore() }), {
 *   lock: false, // one process: the manager's single-flight is the lock
 * });
 * ```
 */
export function tokenStoreSuite(
  api: SuiteApi,
  factory: StoreFactory,
  options: TokenStoreSuiteOptions = {},
): void {
  api.describe(options.name ?? 'TokenStore conformance', () => {
    getSetGroup(api, factory);
    ttlGroup(api, factory);
    compareAndDeleteGroup(api, factory);
    if (options.lock ?? true) lockGroup(api, factory);
    interleavingsGroup(api, factory, options.numRuns ?? 30);
  });
}
