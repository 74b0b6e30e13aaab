// Runtime smoke test: the BUILT @authwire/core, @authwire/ky, @authwire/openapi-fetch and
// @authwire/undici against a loopback token endpoint and API, and the presets against
// @authwire/msw's served mocks, on whatever runs this file (Node, Bun, Deno). Plain JS, no
// TypeScript, no test framework, so each runtime runs it as is. `pnpm build` first; then
// `node test/runtime/smoke.mjs`, `bun test/runtime/smoke.mjs`,
// `deno run --allow-net=127.0.0.1 --allow-read --allow-env test/runtime/smoke.mjs`
// (scripts/runtime-matrix.sh runs them all). Prints `N passed, 0 failed`; exits non-zero on failure.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { dpop } from '../../packages/core/dist/dpop.js';
import { clientCredentialsGrant } from '../../packages/core/dist/grants.js';
import {
  clientCredentials,
  createTokenManager,
  isAuthwireError,
  memoryStore,
} from '../../packages/core/dist/index.js';

const runtime = globalThis.Deno
  ? `deno ${globalThis.Deno.version.deno}`
  : globalThis.Bun
    ? `bun ${globalThis.Bun.version}`
    : `node ${process.versions.node}`;
const nodeMajor =
  globalThis.Deno || globalThis.Bun ? 99 : Number(process.versions.node.split('.')[0]);

// --- a tiny identity server + protected API --------------------------------------------------

const SECRET = 's3cret-value';
const TOKEN_DELAY_MS = 40; // long enough that concurrent callers overlap the one token request
const tokenRequests = new Map(); // clientId → count
const validTokens = new Set();

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

/** Public keys of the JWT clients (`private_key_jwt`), by client id; verified with WebCrypto. */
const jwtClients = new Map(); // clientId → { key: CryptoKey, verifyAs }

async function assertionClient(assertion) {
  const [header, payload, signature] = (assertion ?? '').split('.');
  const decode = (part) =>
    Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(decode(payload)));
  const client = jwtClients.get(claims.iss);
  if (!client || claims.sub !== claims.iss || !(claims.exp > Date.now() / 1000)) return undefined;
  const valid = await crypto.subtle.verify(
    client.verifyAs,
    client.key,
    decode(signature),
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return valid ? claims.iss : undefined;
}

const b64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromB64url = (part) =>
  Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/**
 * A DPoP proof (RFC 9449 §4.3) for `method` and `url`, signed by the key it carries: its public
 * key's `x` (the key's name here), or undefined. With `token`, its `ath` must be that token's hash.
 */
async function proofKey(proof, method, url, token) {
  const [header, payload, signature] = (proof ?? '').split('.');
  const head = JSON.parse(new TextDecoder().decode(fromB64url(header)));
  const claims = JSON.parse(new TextDecoder().decode(fromB64url(payload)));
  if (head.typ !== 'dpop+jwt' || head.alg !== 'ES256' || head.jwk?.d !== undefined)
    return undefined;
  if (claims.htm !== method || claims.htu !== url || typeof claims.jti !== 'string')
    return undefined;
  if (token !== undefined) {
    const ath = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
    if (claims.ath !== ath) return undefined;
  }
  const ES256 = { name: 'ECDSA', namedCurve: 'P-256' };
  const key = await crypto.subtle.importKey('jwk', head.jwk, ES256, true, ['verify']);
  const valid = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    fromB64url(signature),
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return valid ? head.jwk.x : undefined;
}
const dpopTokens = new Map(); // token → the x of the key it is bound to

const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://127.0.0.1').pathname;
  if (req.method === 'POST' && path === '/dpop-token') {
    const form = new URLSearchParams(await readBody(req));
    const key = await proofKey(req.headers.dpop, 'POST', `${origin}/dpop-token`).catch(() => {});
    if (form.get('client_secret') !== SECRET || !key)
      return send(res, 400, { error: 'invalid_dpop_proof' });
    const token = `dpop-${dpopTokens.size + 1}`;
    dpopTokens.set(token, key);
    return send(res, 200, { access_token: token, token_type: 'DPoP', expires_in: 3600 });
  }
  if (path === '/dpop-api') {
    const token = /^DPoP (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const key = await proofKey(req.headers.dpop, req.method, `${origin}/dpop-api`, token).catch(
      () => {},
    );
    if (!token || !key || dpopTokens.get(token) !== key) {
      return send(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'DPoP' });
    }
    return send(res, 200, { ok: true, token });
  }
  if (req.method === 'POST' && path === '/jwt-token') {
    const form = new URLSearchParams(await readBody(req));
    const clientId = await assertionClient(form.get('client_assertion')).catch(() => undefined);
    if (!clientId) return send(res, 401, { error: 'invalid_client' });
    const token = `${clientId}-jwt`;
    validTokens.add(token);
    return send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
  }
  if (req.method === 'POST' && path === '/token') {
    const form = new URLSearchParams(await readBody(req));
    const clientId = form.get('client_id') ?? '';
    if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== SECRET) {
      return send(res, 401, { error: 'invalid_client' });
    }
    const n = (tokenRequests.get(clientId) ?? 0) + 1;
    tokenRequests.set(clientId, n);
    const token = `${clientId}-t${n}`;
    validTokens.add(token);
    setTimeout(
      () => send(res, 200, { access_token: token, token_type: 'bearer', expires_in: 3600 }),
      TOKEN_DELAY_MS,
    );
    return;
  }
  if (path === '/api/data') {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !validTokens.has(token)) {
      return send(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer' });
    }
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    return send(res, 200, { ok: true, token, body });
  }
  send(res, 404, { error: 'not_found' });
});

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const apiUrl = `${origin}/api/data`;

/** Invalidates every token issued so far to `clientId`, as a server-side revocation would. */
function revokeAll(clientId) {
  for (const token of validTokens) if (token.startsWith(`${clientId}-`)) validTokens.delete(token);
}

function manager(clientId, extra = {}) {
  return createTokenManager(
    clientCredentials({ tokenUrl: `${origin}/token`, clientId, clientSecret: SECRET }),
    { origins: [origin], store: memoryStore(), ...extra },
  );
}

// --- checks ----------------------------------------------------------------------------------

const results = [];
async function check(name, fn) {
  const started = performance.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok    ${name} (${Math.round(performance.now() - started)} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(
      `  FAIL  ${name}\n        ${String(error?.stack ?? error)
        .split('\n')
        .join('\n        ')}`,
    );
  }
}
function skip(name, why) {
  console.log(`  skip  ${name}: ${why}`);
}

// A process warning (e.g. Node 20's MaxListenersExceededWarning for a herd of callers on one
// AbortSignal) fails the run: a user's logs would show it.
const warnings = [];
process.on?.('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));

console.log(`authwire runtime smoke on ${runtime}`);

await check('core: 50 concurrent getToken() share one token request', async () => {
  const auth = manager('single-flight');
  try {
    const tokens = await Promise.all(Array.from({ length: 50 }, () => auth.getToken()));
    assert.equal(tokenRequests.get('single-flight'), 1);
    assert.equal(new Set(tokens.map((t) => t.accessToken)).size, 1);
    assert.equal(tokens[0].accessToken, 'single-flight-t1');
    assert.ok(tokens[0].expiresAt > Date.now() + 3_000_000, 'expires_in honoured');
    await auth.getToken();
    assert.equal(tokenRequests.get('single-flight'), 1, 'a cached token is reused');
  } finally {
    await auth.close();
  }
});

await check('core: authorize() gives Bearer headers for its origin only', async () => {
  const auth = manager('authorize');
  try {
    const authorization = await auth.authorize(apiUrl);
    assert.equal(authorization?.headers.Authorization, 'Bearer authorize-t1');
    assert.equal(await auth.authorize('https://elsewhere.example.com/api'), undefined);
    const res = await fetch(apiUrl, { headers: authorization.headers });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).token, 'authorize-t1');
  } finally {
    await auth.close();
  }
});

await check('core: a 401 → reauthorize() gets one new token for 20 callers', async () => {
  const auth = manager('reauth');
  try {
    const first = await auth.authorize(apiUrl);
    revokeAll('reauth');
    const rejected = await fetch(apiUrl, { headers: first.headers });
    assert.equal(rejected.status, 401);
    await rejected.arrayBuffer();
    const healed = await Promise.all(
      Array.from({ length: 20 }, () => auth.reauthorize(apiUrl, first.token)),
    );
    assert.equal(tokenRequests.get('reauth'), 2);
    assert.deepEqual(new Set(healed.map((a) => a.token.accessToken)), new Set(['reauth-t2']));
    const res = await fetch(apiUrl, { headers: healed[0].headers });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  } finally {
    await auth.close();
  }
});

await check(
  'core: close() rejects later calls with ClosedError and leaves nothing running',
  async () => {
    const auth = manager('close');
    await auth.getToken();
    await auth.close();
    await auth.close(); // idempotent
    const error = await auth.getToken().then(
      () => assert.fail('getToken() after close() resolved'),
      (e) => e,
    );
    assert.ok(isAuthwireError(error), `expected an AuthwireError, got ${error}`);
    assert.equal(error.code, 'closed');
  },
);

await check('core: close() aborts an in-flight token request', async () => {
  const auth = manager('close-inflight');
  const pending = auth.getToken();
  await auth.close();
  const error = await pending.then(
    () => assert.fail('the pending getToken() resolved after close()'),
    (e) => e,
  );
  assert.equal(error.code, 'closed');
});

// ky 2 needs Node ≥ 22; ky 1 (which the adapter also supports) runs on Node 20.
for (const [alg, generateAs, verifyAs] of [
  ['ES256', { name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }],
  ['EdDSA', { name: 'Ed25519' }, { name: 'Ed25519' }],
]) {
  const name = `core: private_key_jwt signs ${alg} with WebCrypto`;
  let pair;
  try {
    pair = await crypto.subtle.generateKey(generateAs, true, ['sign', 'verify']);
  } catch {
    skip(name, `this runtime's WebCrypto has no ${generateAs.name}`);
    continue;
  }
  await check(name, async () => {
    jwtClients.set(`jwt-${alg}`, { key: pair.publicKey, verifyAs });
    const auth = createTokenManager(
      clientCredentialsGrant({
        tokenUrl: `${origin}/jwt-token`,
        clientId: `jwt-${alg}`,
        privateKey: await crypto.subtle.exportKey('jwk', pair.privateKey),
      }),
      { origins: [origin], store: memoryStore() },
    );
    try {
      assert.equal((await auth.getToken()).accessToken, `jwt-${alg}-jwt`);
    } finally {
      await auth.close();
    }
  });
}

await check(
  'core + @authwire/core/dpop: a DPoP-bound token and a fresh proof per request',
  async () => {
    const auth = createTokenManager(
      clientCredentials({
        tokenUrl: `${origin}/dpop-token`,
        clientId: 'dpop',
        clientSecret: SECRET,
      }),
      { origins: [origin], store: memoryStore(), dpop: dpop() },
    );
    try {
      const first = await auth.authorize(`${origin}/dpop-api`);
      const second = await auth.authorize(`${origin}/dpop-api`);
      assert.match(first.headers.Authorization, /^DPoP dpop-1$/);
      assert.notEqual(first.headers.DPoP, second.headers.DPoP, 'a new proof per request');
      for (const headers of [first.headers, second.headers]) {
        const response = await fetch(`${origin}/dpop-api`, { headers });
        assert.equal(response.status, 200);
        assert.equal((await response.json()).token, 'dpop-1');
      }
    } finally {
      await auth.close();
    }
  },
);

const kyVersions = [
  ['ky', nodeMajor >= 22],
  ['ky-v1', true],
];
for (const [specifier, supported] of kyVersions) {
  const name = `@authwire/ky with ${specifier}: authorize, then heal a 401 once`;
  if (!supported) {
    skip(name, 'ky 2 needs Node ≥ 22');
    continue;
  }
  await check(name, async () => {
    const { default: ky } = await import(specifier);
    const { withAuth } = await import('../../packages/ky/dist/index.js');
    const clientId = `ky-${specifier}`;
    const auth = manager(clientId);
    try {
      const api = withAuth(ky.create({ retry: 0 }), auth);
      assert.equal((await api.get(apiUrl).json()).token, `${clientId}-t1`);
      revokeAll(clientId);
      const body = await api.post(apiUrl, { body: 'payload' }).json();
      assert.equal(body.token, `${clientId}-t2`);
      assert.equal(body.body, 'payload', 'the retried request keeps its body');
      assert.equal(tokenRequests.get(clientId), 2);
    } finally {
      await auth.close();
    }
  });
}

await check('@authwire/openapi-fetch: authorize, then heal a 401 once', async () => {
  const { default: createClient } = await import('openapi-fetch');
  const { withAuth } = await import('../../packages/openapi-fetch/dist/index.js');
  const auth = manager('openapi-fetch');
  try {
    const client = withAuth(createClient({ baseUrl: origin }), auth);
    const first = await client.GET('/api/data');
    assert.equal(first.response.status, 200);
    assert.equal(first.data.token, 'openapi-fetch-t1');
    revokeAll('openapi-fetch');
    const second = await client.POST('/api/data', { body: { n: 1 } });
    assert.equal(second.response.status, 200);
    assert.equal(second.data.token, 'openapi-fetch-t2');
    assert.equal(second.data.body, '{"n":1}', 'the retried request keeps its body');
    assert.equal(tokenRequests.get('openapi-fetch'), 2);
  } finally {
    await auth.close();
  }
});

// @authwire/msw in served mode (serveMock: a loopback node:http server), the way its README says
// to use it in Bun and Deno, where MSW's in-process interception does not work. MSW 3 needs
// Node ≥ 22.12, so Node 20 skips this.
const mswSupported =
  globalThis.Deno ||
  globalThis.Bun ||
  nodeMajor > 22 ||
  (nodeMajor === 22 && Number(process.versions.node.split('.')[1]) >= 12);
const mswCheck = '@authwire/msw served: Norce and Oracle presets against serveMock, 401 healed';
if (!mswSupported) {
  skip(mswCheck, 'MSW 3 needs Node ≥ 22.12');
} else {
  await check(mswCheck, async () => {
    const { NORCE_MOCK_DEFAULTS, norceMock, oracleCommerceMock, serveMock } = await import(
      '../../packages/msw/dist/index.js'
    );
    const { norce } = await import('../../packages/norce/dist/index.js');
    const { oracleCommerce } = await import('../../packages/oracle-commerce/dist/index.js');
    const { withAuth } = await import('../../packages/openapi-fetch/dist/index.js');
    const { default: createClient } = await import('openapi-fetch');
    const servedNorce = await serveMock((baseUrl) => norceMock({ baseUrl, environment: 'stage' }));
    const servedOracle = await serveMock((baseUrl) => oracleCommerceMock({ baseUrl }));
    const norceAuth = norce({
      clientId: NORCE_MOCK_DEFAULTS.clientId,
      clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
      applicationId: NORCE_MOCK_DEFAULTS.applicationId,
      clientName: 'acme',
      environment: 'stage',
      tokenUrl: servedNorce.mock.tokenUrl,
      baseUrl: servedNorce.mock.apiOrigin,
      store: memoryStore(),
    });
    const occ = oracleCommerce({
      baseUrl: servedOracle.mock.apiOrigin,
      applicationKey: servedOracle.mock.applicationKeys[0],
      store: memoryStore(),
    });
    try {
      const api = withAuth(createClient({ baseUrl: norceAuth.baseUrl }), norceAuth);
      const first = await api.GET('/commerce/metadata/1.1/GetApplication');
      assert.equal(first.response.status, 200);
      assert.equal(first.data.ApplicationId, NORCE_MOCK_DEFAULTS.applicationId);
      servedNorce.mock.control.revokeAll();
      const again = await api.GET('/commerce/product/1.1/ListProducts');
      assert.equal(again.response.status, 200);
      assert.deepEqual(
        [
          servedNorce.mock.control.counters.tokenRequests,
          servedNorce.mock.control.counters.api401s,
        ],
        [2, 1],
      );
      const orders = await fetch(`${occ.apiUrl}/orders`, {
        headers: (await occ.authorize(`${occ.apiUrl}/orders`))?.headers ?? {},
      });
      assert.equal(orders.status, 200);
      assert.equal((await orders.json()).items.length, 2);
      assert.equal(servedOracle.mock.control.counters.logins, 1);
    } finally {
      await norceAuth.close();
      await occ.close();
      await servedNorce.close();
      await servedOracle.close();
    }
  });
}

// The global dispatcher: Node's own fetch (undici 6 in Node 22, 7 in Node 24) through an Agent of
// the undici package (7 or 8) composed with authwire(). Bun and Deno have fetch of their own.
for (const specifier of ['undici7', 'undici8']) {
  const name = `@authwire/undici with ${specifier}: a herd of global fetches, one token, a healed 401`;
  if (nodeMajor < 22 || nodeMajor === 99) {
    skip(name, 'Node ≥ 22 only (the fetch of Bun and Deno does not run on undici)');
    continue;
  }
  await check(name, async () => {
    const undici = await import(specifier);
    const { authwire } = await import('../../packages/undici/dist/index.js');
    const clientId = `undici-${specifier}`;
    const auth = manager(clientId);
    const slots = [
      Symbol.for('undici.globalDispatcher.1'),
      Symbol.for('undici.globalDispatcher.2'),
    ];
    const saved = slots.map((slot) => globalThis[slot]);
    const agent = new undici.Agent();
    undici.setGlobalDispatcher(agent.compose(authwire(auth)));
    try {
      const herd = await Promise.all(
        Array.from({ length: 50 }, async () => (await fetch(apiUrl)).json()),
      );
      assert.deepEqual(new Set(herd.map((body) => body.token)), new Set([`${clientId}-t1`]));
      assert.equal(tokenRequests.get(clientId), 1, 'the token request itself passed untouched');
      revokeAll(clientId);
      const healed = await (await fetch(apiUrl, { method: 'POST', body: 'payload' })).json();
      assert.equal(healed.token, `${clientId}-t2`);
      assert.equal(healed.body, 'payload', 'the retried request keeps its body');
    } finally {
      slots.forEach((slot, i) => {
        globalThis[slot] = saved[i];
      });
      await agent.close();
      await auth.close();
    }
  });
}

// --- teardown --------------------------------------------------------------------------------

server.closeAllConnections?.();
await new Promise((resolve) => server.close(() => resolve()));

for (const warning of new Set(warnings)) {
  console.log(`  FAIL  process warning: ${warning}`);
  results.push({ name: warning, ok: false });
}
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed (${runtime})`);
// No process.exit() on success: a timer or socket left behind by close() would keep the process
// alive, and the runner's timeout turns that into a failure.
if (failed > 0) process.exitCode = 1;
