// The requests both module systems make, given the modules each one loaded its own way.
import assert from 'node:assert/strict';

/** An axios + Norce and a ky + Oracle request against the @authwire/msw mocks. */
export async function requests({
  axios,
  ky,
  withAuth,
  authHooks,
  norce,
  oracleCommerce,
  memoryStore,
  mocks,
  setupServer,
}) {
  const norceTenant = mocks.norceMock({ clientName: 'acme', environment: 'stage' });
  const oracle = mocks.oracleCommerceMock();
  const server = setupServer(...norceTenant.handlers, ...oracle.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  const norceAuth = norce({
    clientId: mocks.NORCE_MOCK_DEFAULTS.clientId,
    clientSecret: mocks.NORCE_MOCK_DEFAULTS.clientSecret,
    applicationId: 1234,
    clientName: 'acme',
    environment: 'stage',
    store: memoryStore(),
  });
  const oracleAuth = oracleCommerce({
    baseUrl: oracle.apiOrigin,
    applicationKey: oracle.applicationKeys[0],
    store: memoryStore(),
  });
  try {
    const api = withAuth(axios.create({ baseURL: norceAuth.baseUrl }), norceAuth);
    const { data } = await api.get('/commerce/metadata/1.1/GetApplication', {
      params: { format: 'json' },
    });
    assert.deepEqual(data, { ApplicationId: 1234, Name: 'acme' });
    norceTenant.control.revokeAll();
    const again = await api.get('/commerce/product/1.1/ListProducts');
    assert.equal(again.data.ItemCount, 2);
    assert.deepEqual(
      [norceTenant.control.counters.tokenRequests, norceTenant.control.counters.api401s],
      [2, 1],
      'axios + Norce: one token, then one refresh and one retry for the revoked token',
    );

    const occ = ky.create({ prefix: oracleAuth.apiUrl, hooks: authHooks(oracleAuth) });
    const orders = await occ.get('orders').json();
    assert.equal(orders.items.length, 2);
    assert.equal(oracle.control.counters.logins, 1);
    assert.equal(oracle.control.apiRequests[0]?.token, 'valid');
  } finally {
    await norceAuth.close();
    await oracleAuth.close();
    server.close();
  }
}
