// Conformance: @authwire/got on got 16, with got's own retries switched off.
import { withAuth } from '@authwire/got';
import got, { HTTPError } from 'got';
import { gotDriver } from './got-driver.ts';
import { adapterConformance } from './suite.ts';

adapterConformance('got', (auth) =>
  gotDriver(withAuth(got.extend({ retry: { limit: 0 }, responseType: 'json' }), auth), {
    HTTPError,
    bytes: (buffer) => new Uint8Array(buffer),
  }),
);
