// Type-checked with tsconfig.browser.json: a browser / edge project, DOM lib, no Node types.
import { withAuth as axiosAuth } from '@authwire/axios';
import { authFetch, clientCredentials, createTokenManager, memoryStore } from '@authwire/core';
import { dpop } from '@authwire/core/dpop';
import { refreshToken } from '@authwire/core/grants';
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
const bound = createTokenManager(
  refreshToken({ issuer: 'https://id.example.com', clientId: 'a', refreshToken: 'r' }),
  { origins: ['https://api.example.com'], dpop: dpop() },
);
export const used = [
  response,
  bound,
  kit,
  axiosAuth,
  authHooks,
  norce,
  openapiAuth,
  oracleCommerce,
];
