// Type-checked with tsconfig.browser.json: a browser / edge project, DOM lib, no Node types.
import { withAuth as axiosAuth } from '@authwire/axios';
import { authFetch, clientCredentials, createTokenManager, memoryStore } from '@authwire/core';
import * as kit from '@authwire/core/kit';
import { authHooks } from '@authwire/ky';
import { norce } from '@authwire/norce';
import { withAuth as openapiAuth } from '@authwire/openapi-fetch';
import { oracleCommerce } from '@authwire/oracle-commerce';

const auth = createTokenManager(
  clientCredentials({ tokenUrl: 'https://id.example.com/token', clientId: 'a', clientSecret: 'b' }),
  { origins: ['https://api.example.com'], store: memoryStore() },
);
const response: Promise<Response> = authFetch(auth)(new Request('https://api.example.com/x'));
export const used = [response, kit, axiosAuth, authHooks, norce, openapiAuth, oracleCommerce];
