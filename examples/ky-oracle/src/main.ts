// Runs the example: against your Oracle Commerce instance when OCC_* variables are set, else the mock.
import { existsSync } from 'node:fs';
import { oracleCommerceMock } from '@authwire/msw';
import { type OracleCommerceOptions, oracleCommerce } from '@authwire/oracle-commerce';
import { setupServer } from 'msw/node';
import { createOracleClient, listOrders } from './app.ts';
import { oracleOptionsFromEnv } from './config.ts';

export interface MainOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
}

export async function main({ env = process.env, log = console.log }: MainOptions = {}) {
  const real = oracleOptionsFromEnv(env);
  const mock = real ? undefined : startMock();
  const options: OracleCommerceOptions = real ?? {
    baseUrl: mock!.baseUrl,
    applicationKey: mock!.applicationKey,
  };
  log(
    real
      ? `Oracle Commerce instance ${real.baseUrl}`
      : 'Embedded Oracle Commerce mock (set OCC_* variables to use your instance, see .env.example)',
  );

  // revokeOnClose: log out (POST /ccadmin/v1/logout) when the app shuts down.
  const auth = oracleCommerce({ ...options, revokeOnClose: true });
  try {
    const api = createOracleClient(auth);
    const orders = await listOrders(api);
    log(`${orders.total} orders: ${orders.items.map((o) => `${o.id} ${o.state}`).join(', ')}`);

    // The instance revokes the token (a key reset, a logout elsewhere): the next call heals itself.
    mock?.control.revokeAll();
    const again = await listOrders(api);
    if (mock) {
      const { logins, api401s } = mock.control.counters;
      log(
        `After a revoked token: ${again.items.length} orders, ${api401s} × 401 healed, ${logins} logins in all`,
      );
    }
    return { orders, again };
  } finally {
    await auth.close();
    mock?.close();
  }
}

function startMock() {
  const mock = oracleCommerceMock();
  const server = setupServer(...mock.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  return {
    baseUrl: mock.apiOrigin,
    applicationKey: mock.applicationKeys[0]!,
    control: mock.control,
    close: () => server.close(),
  };
}

if (import.meta.main) {
  // Credentials may live in a git-ignored .env (see .env.example).
  if (existsSync('.env')) process.loadEnvFile('.env');
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
