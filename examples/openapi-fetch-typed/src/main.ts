// Runs the example against Norce and Oracle: your own when their variables are set, else the mocks.
import { existsSync } from 'node:fs';
import { NORCE_MOCK_DEFAULTS, norceMock, oracleCommerceMock, serveMock } from '@authwire/msw';
import { norce } from '@authwire/norce';
import { oracleCommerce } from '@authwire/oracle-commerce';
import { createNorceClient, createOracleClient, norceCatalog, recentOrders } from './app.ts';
import { norceOptionsFromEnv, oracleOptionsFromEnv } from './config.ts';

export interface MainOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
}

export async function main({ env = process.env, log = console.log }: MainOptions = {}) {
  const realNorce = norceOptionsFromEnv(env);
  const realOracle = oracleOptionsFromEnv(env);

  // A platform without credentials is served by its mock on a loopback port (real HTTP).
  const norceStandIn = realNorce ? undefined : await serveMock((baseUrl) => norceMock({ baseUrl }));
  const oracleStandIn = realOracle
    ? undefined
    : await serveMock((baseUrl) => oracleCommerceMock({ baseUrl }));
  log(
    `Norce: ${realNorce ? realNorce.clientName : `mock on ${norceStandIn!.url}`}; ` +
      `Oracle: ${realOracle ? realOracle.baseUrl : `mock on ${oracleStandIn!.url}`}`,
  );

  const norceAuth = norce(
    realNorce ?? {
      clientId: NORCE_MOCK_DEFAULTS.clientId,
      clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
      applicationId: NORCE_MOCK_DEFAULTS.applicationId,
      environment: 'playground',
      // http is accepted for loopback only: fine for the mock, refused for anything else.
      baseUrl: norceStandIn!.url,
      tokenUrl: norceStandIn!.mock.tokenUrl,
    },
  );
  const oracleAuth = oracleCommerce(
    realOracle ?? {
      baseUrl: oracleStandIn!.url,
      applicationKey: oracleStandIn!.mock.applicationKeys[0]!,
    },
  );
  try {
    const { application, products } = await norceCatalog(createNorceClient(norceAuth));
    log(
      `Norce application ${application.ApplicationId} (${application.Name}): ${products.length} products`,
    );
    const orders = await recentOrders(createOracleClient(oracleAuth));
    log(
      `Oracle: ${orders.map((o) => `${o.id} ${o.priceInfo.total} ${o.priceInfo.currencyCode}`).join(', ')}`,
    );
    return {
      application,
      products,
      orders,
      tokenRequests: {
        norce: norceStandIn?.mock.control.counters.tokenRequests,
        oracle: oracleStandIn?.mock.control.counters.logins,
      },
    };
  } finally {
    await Promise.all([norceAuth.close(), oracleAuth.close()]);
    await Promise.all([norceStandIn?.close(), oracleStandIn?.close()]);
  }
}

if (import.meta.main) {
  // Credentials may live in a git-ignored .env (see .env.example).
  if (existsSync('.env')) process.loadEnvFile('.env');
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
