// A vitest file for an app that calls Norce: the mock runs in-process, each test has its own token cache.
import { memoryStore } from '@authwire/core';
import { NORCE_MOCK_DEFAULTS, norceMock } from '@authwire/msw';
import { type NorceTokenManager, norce } from '@authwire/norce';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { productClient } from '../src/products.ts';

const mock = norceMock({ clientName: 'acme', environment: 'stage' });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' })); // unmocked requests fail the test
afterAll(() => server.close());

let auth: NorceTokenManager;
beforeEach(() => {
  auth = norce({
    clientId: NORCE_MOCK_DEFAULTS.clientId,
    clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
    applicationId: NORCE_MOCK_DEFAULTS.applicationId,
    clientName: 'acme',
    environment: 'stage',
    // This test's own token cache. Without it, managers share the process-wide cache and the
    // next test sends a token the reset mock no longer knows: a spurious 401.
    store: memoryStore(),
  });
});
afterEach(async () => {
  await auth.close();
  mock.control.reset(); // tokens, counters, records and pending failures
});

it('lists the products with one token request', async () => {
  const products = await productClient(auth).list();
  expect(products.map((p) => p.PartNo)).toEqual(['AW-1', 'AW-2']);
  expect(mock.control.counters).toMatchObject({ tokenRequests: 1, api401s: 0 });
});

it('starts the next test from a clean cache', async () => {
  await productClient(auth).list();
  expect(mock.control.counters).toMatchObject({ tokenRequests: 1, api401s: 0 });
});

it('heals a revoked token with one refresh and one retry', async () => {
  const client = productClient(auth);
  await client.list();
  mock.control.revokeAll();
  await client.list();
  expect(mock.control.counters).toMatchObject({ tokenRequests: 2, api401s: 1 });
});
