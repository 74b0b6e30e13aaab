// Type tests for the public surface (checked by `tsc` in the package's typecheck).
import type { Clock } from '@authwire/core';
import type { HttpHandler } from 'msw';
import { expectTypeOf, test } from 'vitest';
import {
  type IssuedToken,
  type ManualClock,
  type MockControl,
  manualClock,
  type NorceIssuedToken,
  norceMock,
  type OracleIssuedToken,
  oracleCommerceMock,
  serveMock,
  type TokenEndpointFailure,
} from '../src/index.ts';

test('both mocks share one shape', () => {
  const norce = norceMock();
  const oracle = oracleCommerceMock();
  expectTypeOf(norce.handlers).toEqualTypeOf<HttpHandler[]>();
  expectTypeOf(oracle.handlers).toEqualTypeOf<HttpHandler[]>();
  expectTypeOf(norce.control.issuedTokens).toEqualTypeOf<readonly NorceIssuedToken[]>();
  expectTypeOf(oracle.control.issuedTokens).toEqualTypeOf<readonly OracleIssuedToken[]>();
  expectTypeOf(norce.control).toExtend<MockControl<IssuedToken, typeof norce.control.counters>>();
  expectTypeOf(norce.control.counters.tokenRequests).toBeNumber();
  expectTypeOf(oracle.control.counters.refreshes).toBeNumber();
});

test('failures are a closed union', () => {
  expectTypeOf<{ status: 429; retryAfter: string }>().toExtend<TokenEndpointFailure>();
  expectTypeOf<{ expiresIn: 'soon' }>().toExtend<TokenEndpointFailure>();
  expectTypeOf<{ status: 404 }>().not.toExtend<TokenEndpointFailure>();
  expectTypeOf<'timeout'>().not.toExtend<TokenEndpointFailure>();
});

test('serveMock keeps the mock type', async () => {
  const served = await serveMock((baseUrl) => oracleCommerceMock({ baseUrl }));
  expectTypeOf(served.mock.applicationKeys).toEqualTypeOf<readonly string[]>();
  expectTypeOf(served.close).returns.resolves.toBeVoid();
});

test('manualClock is a core Clock and a mock clock', () => {
  const clock = manualClock();
  expectTypeOf(clock).toEqualTypeOf<ManualClock>();
  expectTypeOf(clock).toExtend<Clock>();
  expectTypeOf(clock.now).toExtend<NonNullable<Parameters<typeof norceMock>[0]>['now']>();
  expectTypeOf(clock.now).toExtend<NonNullable<Parameters<typeof oracleCommerceMock>[0]>['now']>();
  expectTypeOf(manualClock).toBeCallableWith();
  expectTypeOf(manualClock).toBeCallableWith(Date.UTC(2026, 0, 1));
});
