// The few test-runner functions the suites call, typed structurally so vitest, jest or a thin shim
// fit: `tokenStoreSuite({ describe, it, expect }, …)`.

/** The matchers the suites use; every mainstream `expect` has them. */
export interface Assertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeUndefined(): void;
  toBeDefined(): void;
  toHaveLength(length: number): void;
  readonly not: Assertion;
}

/**
 * What a suite needs from the runner. Pass vitest's own functions; to switch a whole suite off
 * (a backing service is not available), pass `describe.skip` as `describe`.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * tokenStoreSuite({ describe, it, expect }, () => ({ store: myStore() }));
 * ```
 */
export interface SuiteApi {
  readonly describe: (name: string, body: () => void) => void;
  readonly it: (name: string, body: () => Promise<void>) => void;
  readonly expect: (actual: unknown, message?: string) => Assertion;
}
