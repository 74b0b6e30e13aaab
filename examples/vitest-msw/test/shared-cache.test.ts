// Why the recipe passes `store: memoryStore()`: what happens without it, and the way out for a
// module-level manager that must keep its token between tests.
import { NORCE_MOCK_DEFAULTS, norceMock } from '@authwire/msw';
import { norce } from '@authwire/norce';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productClient } from '../src/products.ts';

// Its own tenant, so no other test file shares this cache key.
const mock = norceMock({ clientName: 'shared-cache', environment: 'stage' });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const options = {
  clientId: NORCE_MOCK_DEFAULTS.clientId,
  clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
  applicationId: NORCE_MOCK_DEFAULTS.applicationId,
  clientName: 'shared-cache',
  environment: 'stage',
} as const;

describe('managers without a store of their own', () => {
  it('share the process-wide cache: after reset() the next "test" gets a spurious 401', async () => {
    const first = norce(options);
    await productClient(first).list();
    await first.close();
    mock.control.reset(); // what an afterEach does

    const second = norce(options); // the next test's fresh manager...
    await productClient(second).list(); // ...sends the previous test's token
    expect(mock.control.counters).toMatchObject({ tokenRequests: 1, api401s: 1 });
    await second.close();
    mock.control.reset();
  });

  it('keep a valid token with resetCounters(), for a module-level manager', async () => {
    const singleton = norce(options);
    const client = productClient(singleton);
    await client.list();
    mock.control.resetCounters(); // counters to zero, issued tokens stay valid

    await client.list();
    expect(mock.control.counters).toMatchObject({ tokenRequests: 0, apiCalls: 1, api401s: 0 });
    await singleton.close();
    mock.control.reset();
  });
});
