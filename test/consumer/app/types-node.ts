// Type-checked with tsconfig.node.json: a Node-only project, no DOM lib, every .d.ts checked.
// Every published package but @authwire/msw, whose peer msw needs the DOM lib (types-msw.ts).
import { withAuth as axiosAuth } from '@authwire/axios';
import { run } from '@authwire/cli';
import {
  authFetch,
  clientCredentials,
  createTokenManager,
  isAuthwireError,
  memoryStore,
  type TokenManager,
} from '@authwire/core';
import { dpop } from '@authwire/core/dpop';
import { clientCredentialsGrant } from '@authwire/core/grants';
import * as kit from '@authwire/core/kit';
import { authHooks as gotHooks } from '@authwire/got';
import { authHooks as kyHooks } from '@authwire/ky';
import { norce } from '@authwire/norce';
import { withAuth as openapiAuth } from '@authwire/openapi-fetch';
import { instrument } from '@authwire/opentelemetry';
import { oracleCommerce } from '@authwire/oracle-commerce';
import { redisStore } from '@authwire/redis';
import { authwire, type Interceptor } from '@authwire/undici';

const auth: TokenManager = createTokenManager(
  clientCredentials({ tokenUrl: 'https://id.example.com/token', clientId: 'a', clientSecret: 'b' }),
  { origins: ['https://api.example.com'], store: memoryStore() },
);
// The optional grants and DPoP, each from its own subpath.
const bound: TokenManager = createTokenManager(
  clientCredentialsGrant({ issuer: 'https://id.example.com', clientId: 'a', clientSecret: 'b' }),
  { origins: ['https://api.example.com'], dpop: dpop({ allowBearer: false }) },
);
const fetchWithAuth: typeof fetch = authFetch(auth);
const interceptor: Interceptor = authwire(auth);
export const used = [
  fetchWithAuth,
  bound,
  isAuthwireError,
  kit,
  axiosAuth,
  gotHooks,
  kyHooks,
  openapiAuth,
  redisStore,
  run,
  norce,
  oracleCommerce,
  instrument,
  interceptor,
];
