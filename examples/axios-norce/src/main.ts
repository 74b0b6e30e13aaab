// Runs the example: against your Norce tenant when NORCE_* variables are set, else the embedded mock.
import { existsSync } from 'node:fs';
import { NORCE_MOCK_DEFAULTS, norceMock } from '@authwire/msw';
import { type NorceOptions, norce } from '@authwire/norce';
import { setupServer } from 'msw/node';
import { createNorceClient, getApplication, listProducts } from './app.ts';
import { norceOptionsFromEnv } from './config.ts';

export interface MainOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
}

export async function main({ env = process.env, log = console.log }: MainOptions = {}) {
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
  log(
    real
      ? `Norce tenant ${real.clientName} (${real.environment})`
      : 'Embedded Norce mock (set NORCE_* variables to use your tenant, see .env.example)',
  );

  const auth = norce(options);
  try {
    const api = createNorceClient(auth);
    // Ten calls at once on a cold start: authwire makes one token request for all of them.
    const [application, products] = await Promise.all([
      getApplication(api),
      listProducts(api),
      ...Array.from({ length: 8 }, () => listProducts(api)),
    ]);
    log(`Application ${application.ApplicationId}: ${application.Name}`);
    log(`${products.length} products: ${products.map((p) => `${p.PartNo} ${p.Name}`).join(', ')}`);
    if (mock) log(`Token requests made for 10 calls: ${mock.control.counters.tokenRequests}`);
    return { application, products, tokenRequests: mock?.control.counters.tokenRequests };
  } finally {
    await auth.close();
    mock?.close();
  }
}

function startMock() {
  const mock = norceMock({ clientName: 'demo', environment: 'playground' });
  const server = setupServer(...mock.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  return { control: mock.control, close: () => server.close() };
}

if (import.meta.main) {
  // Credentials may live in a git-ignored .env (see .env.example).
  if (existsSync('.env')) process.loadEnvFile('.env');
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
