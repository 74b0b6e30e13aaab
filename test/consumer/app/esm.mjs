// ESM consumer: import the packed packages by name, as an app would.
import assert from 'node:assert/strict';
import { withAuth } from '@authwire/axios';
import { commercetools } from '@authwire/commercetools';
import { authFetch, memoryStore } from '@authwire/core';
import { authHooks } from '@authwire/ky';
import * as mocks from '@authwire/msw';
import { norce } from '@authwire/norce';
import { oracleCommerce } from '@authwire/oracle-commerce';
import { salesforceShopper } from '@authwire/salesforce-commerce';
import { shopify } from '@authwire/shopify';
import axios from 'axios';
import ky from 'ky';
import { setupServer } from 'msw/node';
import { requests } from './requests.mjs';

for (const name of ['@authwire/core', '@authwire/axios', '@authwire/ky', '@authwire/norce']) {
  assert.match(
    import.meta.resolve(name),
    /\/dist\/index\.js$/,
    `${name} resolves to its ESM build`,
  );
}
// The subpaths resolve to their own ESM builds.
for (const subpath of ['grants', 'dpop', 'kit']) {
  assert.match(
    import.meta.resolve(`@authwire/core/${subpath}`),
    new RegExp(`/dist/${subpath}\\.js$`),
  );
}
const { dpop } = await import('@authwire/core/dpop');
const { clientCredentialsGrant } = await import('@authwire/core/grants');
assert.equal(typeof dpop().bindProvider, 'function');
assert.equal(typeof clientCredentialsGrant, 'function');
await requests({
  axios,
  ky,
  withAuth,
  authHooks,
  norce,
  oracleCommerce,
  memoryStore,
  mocks,
  setupServer,
});
console.log('esm: axios + Norce and ky + Oracle requests ok');

// The commerce presets, packed: Shopify's own token header and a Bearer platform, through authFetch.
const shopMock = mocks.shopifyMock();
const ctMock = mocks.commercetoolsMock();
const server = setupServer(...shopMock.handlers, ...ctMock.handlers);
server.listen({ onUnhandledRequest: 'error' });
try {
  const { clientId, clientSecret, shop } = mocks.SHOPIFY_MOCK_DEFAULTS;
  const shopAuth = shopify({ clientId, clientSecret, shop, store: memoryStore() });
  const shopResponse = await authFetch(shopAuth)(`${shopAuth.adminApiUrl}/shop.json`);
  assert.equal(shopResponse.status, 200, 'shopify: the Admin API accepts X-Shopify-Access-Token');
  const ct = mocks.COMMERCETOOLS_MOCK_DEFAULTS;
  const ctAuth = commercetools({ ...ct, store: memoryStore() });
  assert.equal((await ctAuth.getToken()).tokenType.toLowerCase(), 'bearer');
  assert.equal(typeof salesforceShopper, 'function');
  await shopAuth.close();
  await ctAuth.close();
} finally {
  server.close();
}
console.log('esm: Shopify and commercetools presets ok');
