// ESM consumer: import the packed packages by name, as an app would.
import assert from 'node:assert/strict';
import { withAuth } from '@authwire/axios';
import { memoryStore } from '@authwire/core';
import { authHooks } from '@authwire/ky';
import * as mocks from '@authwire/msw';
import { norce } from '@authwire/norce';
import { oracleCommerce } from '@authwire/oracle-commerce';
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
