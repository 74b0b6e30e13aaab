// Matrix: @authwire/openapi-fetch on the oldest supported openapi-fetch (0.13) — same scenarios as test/conformance.
import { withAuth } from '@authwire/openapi-fetch';
import type { Client } from 'openapi-fetch';
import createClient from 'openapi-fetch-v013';
import { type AnyPaths, openapiFetchDriver } from '../conformance/openapi-fetch-driver.ts';
import { adapterConformance } from '../conformance/suite.ts';

adapterConformance(
  'openapi-fetch 0.13',
  // Created per test, after MSW listens: createClient captures globalThis.fetch. The adapter and
  // the driver are typed against the newest openapi-fetch; the client is 0.13's.
  (auth) =>
    openapiFetchDriver(withAuth(createClient<AnyPaths>() as unknown as Client<AnyPaths>, auth)),
  { replaysStreamBodies: true },
);
