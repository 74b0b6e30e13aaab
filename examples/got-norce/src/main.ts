// Starts the service: against your Norce tenant when NORCE_* variables are set, else the embedded mock.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { NORCE_MOCK_DEFAULTS, norceMock } from '@authwire/msw';
import { type NorceOptions, norce } from '@authwire/norce';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { createNorceClient, createService } from './app.ts';
import { norceOptionsFromEnv } from './config.ts';

export interface MainOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
  /** Default `PORT`, else 3000; 0 picks a free port. */
  readonly port?: number;
}

export interface Running {
  readonly url: string;
  /** Token requests the mock answered (mock mode only). */
  tokenRequests(): number | undefined;
  close(): Promise<void>;
}

export async function main({
  env = process.env,
  log = console.log,
  port,
}: MainOptions = {}): Promise<Running> {
  const real = norceOptionsFromEnv(env);
  const mock = real ? undefined : startMock();
  const options: NorceOptions = real ?? {
    clientId: NORCE_MOCK_DEFAULTS.clientId,
    clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
    applicationId: NORCE_MOCK_DEFAULTS.applicationId,
    clientName: 'demo',
    environment: 'playground',
    region: 'se',
  };
  const auth = norce(options);
  const service = createService(createNorceClient(auth));
  await new Promise<void>((resolve) =>
    service.listen(port ?? Number(env.PORT ?? 3000), '127.0.0.1', resolve),
  );
  const url = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  log(
    `Listening on ${url} (${real ? `Norce tenant ${real.clientName}` : 'embedded Norce mock'}); try: curl ${url}/products`,
  );

  return {
    url,
    tokenRequests: () => mock?.control.counters.tokenRequests,
    async close() {
      await new Promise<void>((resolve, reject) =>
        service.close((e) => (e ? reject(e) : resolve())),
      );
      await auth.close();
      mock?.close();
    },
  };
}

function startMock() {
  const mock = norceMock({ clientName: 'demo', environment: 'playground' });
  // Calls to this service itself go out for real; anything else unmocked is an error.
  const loopback = http.all(/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//, () => passthrough());
  const server = setupServer(...mock.handlers, loopback);
  server.listen({ onUnhandledFrame: 'error' });
  return { control: mock.control, close: () => server.close() };
}

if (import.meta.main) {
  // Credentials may live in a git-ignored .env (see .env.example).
  if (existsSync('.env')) process.loadEnvFile('.env');
  const running = await main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
  const body = await fetch(`${running.url}/products`).then((r) => r.text());
  console.log(`GET /products → ${body}`);
  console.log('Ctrl-C to stop.');
  process.once('SIGINT', () => void running.close());
}
