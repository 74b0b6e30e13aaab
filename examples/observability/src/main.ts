// Runs the service against the Norce mock on loopback and prints what OpenTelemetry receives.
import { type NorceMock, norceMock, serveMock } from '@authwire/msw';
import { norce } from '@authwire/norce';
import { instrument } from '@authwire/opentelemetry';
import { productService } from './service.ts';
import { spanTrees } from './span-tree.ts';
import { startTelemetry } from './telemetry.ts';

export interface MainOptions {
  readonly log?: (line: string) => void;
}

export async function main({ log = console.log }: MainOptions = {}) {
  // Real HTTP on 127.0.0.1, so the fetch instrumentation sees the token requests.
  const served = await serveMock((baseUrl) =>
    norceMock({ baseUrl, clientId: 'demo-client', clientSecret: 'demo-s3cret' }),
  );
  const mock: NorceMock = served.mock;
  const telemetry = startTelemetry('checkout');
  const auth = norce({
    clientId: 'demo-client',
    clientSecret: 'demo-s3cret',
    applicationId: 1234,
    environment: 'playground',
    baseUrl: served.url,
    tokenUrl: mock.tokenUrl,
  });
  // The one line a service adds: spans and metrics for this manager.
  const uninstrument = instrument(auth);
  const service = productService(auth);
  try {
    log('— 1. cold start: 10 requests at once');
    await Promise.all(Array.from({ length: 10 }, () => service.handle('/products')));

    log('— 2. Norce revokes the token: 5 requests get a 401 and heal');
    mock.control.revokeAll();
    await Promise.all(Array.from({ length: 5 }, () => service.handle('/products')));

    log('— 3. the token endpoint fails once (503) while healing the next revocation');
    mock.control.revokeAll();
    mock.control.failNext(1, { status: 503 });
    await service.handle('/products');

    const { tokenRequests, api401s } = mock.control.counters;
    const trees = spanTrees(telemetry.spans());
    log('— the traces that made a token request:');
    for (const line of trees) log(`   ${line}`);
    log(`— the mock saw ${tokenRequests} token requests and answered ${api401s} × 401`);
    log('— metrics (exported at shutdown):');
    await telemetry.shutdown();
    const accessTokens = mock.control.issuedTokens.map((token) => token.accessToken);
    return { tokenRequests, api401s, trees, accessTokens };
  } finally {
    uninstrument();
    await auth.close();
    await telemetry.shutdown();
    await served.close();
  }
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
