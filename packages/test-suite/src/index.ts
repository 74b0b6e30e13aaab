// @authwire/test-suite: conformance suites for authwire extension authors (stores today).
// Not exported: the groups one by one (the suite is the contract, not its parts), and the
// token/key helpers (a store's own tests have their own).
export type { Assertion, SuiteApi } from './api.ts';
export type { StoreFactory, StoreFixture, TokenStoreSuiteOptions } from './fixture.ts';
export { tokenStoreSuite } from './token-store-suite.ts';
