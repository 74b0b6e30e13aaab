// CommonJS consumer: require() the packed packages (their CJS builds); ky, msw and @authwire/msw
// are ESM-only, so they come in with import(), as they would in a CJS app.
const assert = require('node:assert/strict');
const { withAuth } = require('@authwire/axios');
const { memoryStore } = require('@authwire/core');
const { authHooks } = require('@authwire/ky');
const { norce } = require('@authwire/norce');
const { oracleCommerce } = require('@authwire/oracle-commerce');
const axios = require('axios');

for (const name of ['@authwire/core', '@authwire/axios', '@authwire/ky', '@authwire/norce']) {
  assert.match(
    require.resolve(name),
    /[/\\]dist[/\\]index\.cjs$/,
    `${name} resolves to its CJS build`,
  );
}
// The subpaths resolve to their own CJS builds.
for (const subpath of ['grants', 'dpop', 'kit']) {
  assert.match(
    require.resolve(`@authwire/core/${subpath}`),
    new RegExp(`[/\\\\]dist[/\\\\]${subpath}\\.cjs$`),
  );
}
assert.equal(typeof require('@authwire/core/dpop').dpop().bindProvider, 'function');
assert.equal(typeof require('@authwire/core/grants').clientCredentialsGrant, 'function');

async function main() {
  const { requests } = await import('./requests.mjs');
  const mocks = await import('@authwire/msw');
  const { setupServer } = await import('msw/node');
  const { default: ky } = await import('ky');
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
  console.log('cjs: axios + Norce and ky + Oracle requests ok');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
