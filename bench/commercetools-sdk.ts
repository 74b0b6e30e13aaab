// commercetools' own @commercetools/ts-client beside @authwire/commercetools, against the same
// commercetools mock: token requests for a cold herd of 100 concurrent calls, and for 100 calls
// after the server revoked the token (each call's 401). Counts, not timings: run with
// `node --conditions=@authwire/source commercetools-sdk.ts` (results/commercetools-sdk.txt).

import { commercetools } from '@authwire/commercetools';
import { authFetch, memoryStore } from '@authwire/core';
import { COMMERCETOOLS_MOCK_DEFAULTS, commercetoolsMock } from '@authwire/msw';
import { ClientBuilder } from '@commercetools/ts-client';
import { setupServer } from 'msw/node';

const HERD = 100;
const { clientId, clientSecret, projectKey, region } = COMMERCETOOLS_MOCK_DEFAULTS;
const server = setupServer();
server.listen({ onUnhandledFrame: 'error' });

interface Row {
  readonly client: string;
  readonly coldTokenRequests: number;
  readonly coldOk: number;
  readonly after401TokenRequests: number;
  readonly after401Ok: number;
  readonly api401s: number;
}

/** Runs the two herds against a fresh mock with `call` (one API call → its HTTP status). */
async function measure(
  name: string,
  make: (mock: ReturnType<typeof commercetoolsMock>) => () => Promise<number>,
): Promise<Row> {
  const mock = commercetoolsMock();
  server.resetHandlers(...mock.handlers);
  const call = make(mock);
  const herd = () => Promise.all(Array.from({ length: HERD }, () => call().catch(() => 0)));
  const cold = await herd();
  const coldTokenRequests = mock.control.counters.tokenRequests;
  mock.control.revokeAll();
  const again = await herd();
  return {
    client: name,
    coldTokenRequests,
    coldOk: cold.filter((s) => s === 200).length,
    after401TokenRequests: mock.control.counters.tokenRequests - coldTokenRequests,
    after401Ok: again.filter((s) => s === 200).length,
    api401s: mock.control.counters.api401s,
  };
}

const rows: Row[] = [];

rows.push(
  await measure('@commercetools/ts-client 5.0.3 (ClientBuilder, client credentials)', (mock) => {
    const client = new ClientBuilder()
      .withProjectKey(projectKey)
      .withClientCredentialsFlow({
        host: new URL(mock.tokenUrl).origin,
        projectKey,
        credentials: { clientId, clientSecret },
        httpClient: fetch,
      })
      .withHttpMiddleware({ host: mock.apiOrigin, httpClient: fetch })
      .build();
    return () =>
      client.execute({ uri: `/${projectKey}/products`, method: 'GET' }).then(
        (r) => r.statusCode ?? 0,
        (e: { statusCode?: number }) => e.statusCode ?? 0,
      );
  }),
);

rows.push(
  await measure('@authwire/commercetools + authFetch', () => {
    const auth = commercetools({
      clientId,
      clientSecret,
      projectKey,
      region: region as 'europe-west1.gcp',
      store: memoryStore(),
    });
    const call = authFetch(auth);
    return () => call(`${auth.projectUrl}/products`).then((r) => r.status);
  }),
);

server.close();
const lines = [
  `commercetools token requests, ${HERD} concurrent calls each (same mock, Node ${process.version})`,
  '',
  '| client | cold: token requests | cold: 200s | after revocation: token requests | after: 200s | API 401s |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.client} | ${r.coldTokenRequests} | ${r.coldOk} | ${r.after401TokenRequests} | ${r.after401Ok} | ${r.api401s} |`,
  ),
];
console.log(lines.join('\n'));
