// Conformance: @authwire/openapi-fetch on openapi-fetch 0.17 (untyped paths: the suite's URLs are absolute).
import { withAuth } from '@authwire/openapi-fetch';
import createClient from 'openapi-fetch';
import { type AnyPaths, openapiFetchDriver } from './openapi-fetch-driver.ts';
import { adapterConformance } from './suite.ts';

adapterConformance(
  'openapi-fetch',
  // Created per test, after MSW listens: createClient captures globalThis.fetch.
  (auth) => openapiFetchDriver(withAuth(createClient<AnyPaths>(), auth)),
  { replaysStreamBodies: true },
);
