// Run by proxy.test.ts with NODE_USE_ENV_PROXY=1 and HTTP_PROXY set: the Norce manager and
// authFetch with no proxy code at all. Prints the API's status.
import { authFetch, memoryStore } from '@authwire/core';
import { NORCE_MOCK_DEFAULTS } from '@authwire/msw';
import { norce } from '@authwire/norce';

const auth = norce({
  clientId: NORCE_MOCK_DEFAULTS.clientId,
  clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
  applicationId: NORCE_MOCK_DEFAULTS.applicationId,
  clientName: 'acme',
  environment: 'stage',
  tokenUrl: process.env.MOCK_TOKEN_URL!,
  baseUrl: process.env.MOCK_API_ORIGIN!,
  store: memoryStore(),
});
try {
  const res = await authFetch(auth)(`${auth.baseUrl}/commerce/metadata/1.1/GetApplication`);
  console.log(res.status);
} finally {
  await auth.close();
}
