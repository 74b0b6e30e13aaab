// Type tests of the public surface (checked by `tsc` in the typecheck script).
import { memoryStore, type TokenStore } from '@authwire/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type StoreFactory,
  type StoreFixture,
  type SuiteApi,
  type TokenStoreSuiteOptions,
  tokenStoreSuite,
} from '../src/index.ts';

// vitest's own functions are a SuiteApi as they are, and so is describe.skip.
expectTypeOf({ describe, it, expect }).toExtend<SuiteApi>();
expectTypeOf({ describe: describe.skip, it, expect }).toExtend<SuiteApi>();
expectTypeOf(tokenStoreSuite).returns.toEqualTypeOf<void>();
expectTypeOf<StoreFixture['store']>().toEqualTypeOf<TokenStore>();
expectTypeOf<ReturnType<StoreFactory>>().toEqualTypeOf<StoreFixture | Promise<StoreFixture>>();
expectTypeOf<TokenStoreSuiteOptions>().toEqualTypeOf<{
  readonly name?: string;
  readonly lock?: boolean;
  readonly numRuns?: number;
}>();

// A factory may be async.
tokenStoreSuite({ describe, it, expect }, async () => ({ store: memoryStore() }), { lock: false });
// @ts-expect-error — the factory returns a fixture, not a bare store.
tokenStoreSuite({ describe, it, expect }, () => memoryStore());
// @ts-expect-error — the runner is passed in: no api, no suite.
tokenStoreSuite(() => ({ store: memoryStore() }));
