// Runs one README block (a generated module) in its own process, against the @authwire/msw mocks.
// Usage: node --conditions=@authwire/source test/docs/run-block.ts <block.ts>
// The hosts the READMEs use are mocked: Norce tenant `acme` (region se, every environment), the
// Oracle instance `ccadmin-z1ab.oracleoutsourcing.com`, and a generic OAuth2 server
// `id.example.com` with its API `api.example.com`. A block that starts its own MSW server or
// serveMock (the msw README's) runs without ours. Anything unmocked fails the request, so the
// block throws. The process must exit by itself: a timer or socket left open fails the test.
import { createHmac, generateKeyPairSync, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  COMMERCETOOLS_MOCK_DEFAULTS,
  commercetoolsMock,
  makeOracleApplicationKey,
  NORCE_MOCK_DEFAULTS,
  norceMock,
  oracleCommerceMock,
  SALESFORCE_MOCK_DEFAULTS,
  SHOPIFY_MOCK_DEFAULTS,
  salesforceAdminMock,
  salesforceShopperMock,
  shopifyMock,
} from '@authwire/msw';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: run-block.ts <block.ts>');

const GENERIC = { clientId: 'doc-client', clientSecret: 'doc-secret' };
const STATIC = { appKey: 'vtexappkey-acme-DOC', appToken: 'doc-vtex-app-token' };
// The generic server's JWT client (private_key_jwt, ES256) and its refresh token (rotated on use).
const docKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let docRefreshToken = 'doc-refresh-0';
const applicationKey = makeOracleApplicationKey();
Object.assign(process.env, {
  NORCE_CLIENT_ID: NORCE_MOCK_DEFAULTS.clientId,
  NORCE_CLIENT_SECRET: NORCE_MOCK_DEFAULTS.clientSecret,
  NORCE_APPLICATION_ID: String(NORCE_MOCK_DEFAULTS.applicationId),
  OCC_APPLICATION_KEY: applicationKey,
  CLIENT_ID: GENERIC.clientId,
  CLIENT_SECRET: GENERIC.clientSecret,
  CTP_CLIENT_ID: COMMERCETOOLS_MOCK_DEFAULTS.clientId,
  CTP_CLIENT_SECRET: COMMERCETOOLS_MOCK_DEFAULTS.clientSecret,
  SFCC_CLIENT_ID: SALESFORCE_MOCK_DEFAULTS.clientId,
  SFCC_CLIENT_SECRET: SALESFORCE_MOCK_DEFAULTS.clientSecret,
  SLAS_CLIENT_ID: SALESFORCE_MOCK_DEFAULTS.clientId,
  SLAS_CLIENT_SECRET: SALESFORCE_MOCK_DEFAULTS.clientSecret,
  SHOPIFY_CLIENT_ID: SHOPIFY_MOCK_DEFAULTS.clientId,
  SHOPIFY_CLIENT_SECRET: SHOPIFY_MOCK_DEFAULTS.clientSecret,
  VTEX_APP_KEY: STATIC.appKey,
  VTEX_APP_TOKEN: STATIC.appToken,
  CLIENT_PRIVATE_JWK: JSON.stringify(docKey.privateKey.export({ format: 'jwk' })),
  REFRESH_TOKEN: docRefreshToken,
});

/** Checks a client assertion (ES256 under the doc key, or HS256 under the doc secret). */
function assertionClient(assertion: string): string | undefined {
  const [header, payload, signature = ''] = assertion.split('.');
  const parse = (part = '') => JSON.parse(Buffer.from(part, 'base64url').toString());
  const { alg } = parse(header);
  const input = `${header}.${payload}`;
  const valid =
    alg === 'ES256'
      ? verify(
          'sha256',
          Buffer.from(input),
          { key: docKey.publicKey, dsaEncoding: 'ieee-p1363' },
          Buffer.from(signature, 'base64url'),
        )
      : alg === 'HS256' &&
        createHmac('sha256', GENERIC.clientSecret).update(input).digest('base64url') === signature;
  const claims = parse(payload);
  const audiences = ['https://id.example.com/oauth2/token', 'https://id.example.com'];
  const fresh = claims.exp > Date.now() / 1000 && claims.iss === claims.sub;
  return valid && fresh && audiences.includes(claims.aud) ? claims.iss : undefined;
}

const norceTenants = (['playground', 'stage', 'production'] as const).map((environment) =>
  norceMock({ clientName: 'acme', region: 'se', environment }),
);
const oracle = oracleCommerceMock({
  baseUrl: 'https://ccadmin-z1ab.oracleoutsourcing.com',
  applicationKey,
});

// A plain client-credentials server for the `createTokenManager(clientCredentials(…))` examples.
const issued = new Set<string>();
let genericTokenRequests = 0;
const generic = [
  http.get('https://id.example.com/.well-known/oauth-authorization-server', () =>
    HttpResponse.json({
      issuer: 'https://id.example.com',
      token_endpoint: 'https://id.example.com/oauth2/token',
      token_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'client_secret_jwt',
        'private_key_jwt',
      ],
    }),
  ),
  http.post('https://id.example.com/oauth2/token', async ({ request }) => {
    genericTokenRequests++;
    const form = new URLSearchParams(await request.text());
    const basic = /^basic\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const assertion = form.get('client_assertion');
    const [id, secret] = assertion
      ? [assertionClient(assertion), GENERIC.clientSecret]
      : basic
        ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent)
        : [form.get('client_id'), form.get('client_secret')];
    if (id !== GENERIC.clientId || secret !== GENERIC.clientSecret) {
      return HttpResponse.json({ error: 'invalid_client' }, { status: 401 });
    }
    const grantType = form.get('grant_type');
    let refreshToken: string | undefined;
    if (grantType === 'refresh_token') {
      if (form.get('refresh_token') !== docRefreshToken) {
        return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
      }
      docRefreshToken = `doc-refresh-${Number(docRefreshToken.split('-')[2]) + 1}`;
      refreshToken = docRefreshToken;
    } else if (grantType !== 'client_credentials') {
      return HttpResponse.json({ error: 'unsupported_grant_type' }, { status: 400 });
    }
    const token = `doc-token-${issued.size + 1}`;
    issued.add(token);
    return HttpResponse.json({
      access_token: token,
      token_type: 'Bearer',
      expires_in: 3600,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    });
  }),
  http.all('https://api.example.com/*', ({ request }) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/health') return HttpResponse.json({ ok: true });
    const token = /^bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (token === undefined || !issued.has(token)) return new HttpResponse(null, { status: 401 });
    return HttpResponse.json({ ok: true, path: pathname, items: [] });
  }),
];

// The other commerce platforms the READMEs call: commercetools project `acme` (europe-west1.gcp),
// Salesforce short code kv7kzm78 / tenant zzrf_001, Shopify shop `acme`, and a VTEX account
// `acme` that checks its fixed app key and token.
const commerce = [
  commercetoolsMock({ projectKey: 'acme' }),
  salesforceAdminMock(),
  salesforceShopperMock(),
  shopifyMock({ shop: 'acme' }),
];
let staticCalls = 0;
const vtex = http.all('https://acme.vtexcommercestable.com.br/*', ({ request }) => {
  staticCalls++;
  const ok =
    request.headers.get('x-vtex-api-appkey') === STATIC.appKey &&
    request.headers.get('x-vtex-api-apptoken') === STATIC.appToken;
  return ok
    ? HttpResponse.json({ data: {}, range: { total: 0 } })
    : new HttpResponse(null, { status: 401 });
});

const source = readFileSync(file, 'utf8');
const standalone = /\bsetupServer\(|\bserveMock\(/.test(source);
const server = standalone
  ? undefined
  : setupServer(
      ...norceTenants.flatMap((mock) => mock.handlers),
      ...oracle.handlers,
      ...commerce.flatMap((mock) => mock.handlers),
      vtex,
      ...generic,
    );
server?.listen({ onUnhandledFrame: 'error' });
try {
  await import(pathToFileURL(file).href);
} finally {
  server?.close();
}

const counters = [...norceTenants, oracle, ...commerce].map((mock) => mock.control.counters);
const sum = (name: 'tokenEndpointCalls' | 'apiCalls' | 'api401s') =>
  counters.reduce((total, c) => total + c[name], 0);
// One line the doc test reads: what the block did against the mocks.
console.log(
  `doctest-summary ${JSON.stringify({
    standalone,
    tokenRequests: sum('tokenEndpointCalls') + genericTokenRequests,
    apiCalls: sum('apiCalls') + staticCalls,
    api401s: sum('api401s'),
  })}`,
);
