// Matrix: @authwire/got on the oldest supported got (14.2) — the same scenarios as test/conformance.
// got 14.0.x and 14.1.x are excluded: their RequestError drops `cause`, so the AuthwireError a hook
// throws (rate_limited, timeout, …) reaches the caller only as a bare RequestError (4 scenarios fail
// per platform). got 14.2.0 added `{ cause }`; the declared peer range starts there.
import { withAuth } from '@authwire/got';
import got, { HTTPError } from 'got-v14';
import { gotDriver } from '../conformance/got-driver.ts';
import { adapterConformance } from '../conformance/suite.ts';

// The adapter and the driver are typed against the newest got; the instance is got 14's.
type Instance = Parameters<typeof withAuth>[0];

adapterConformance('got 14', (auth) => {
  const base = got.extend({ retry: { limit: 0 }, responseType: 'json' });
  return gotDriver(withAuth(base as unknown as Instance, auth), {
    HTTPError,
    // got 14 takes a Buffer, not a plain Uint8Array (its users send Buffers).
    bytes: (buffer) => Buffer.from(buffer),
  });
});
