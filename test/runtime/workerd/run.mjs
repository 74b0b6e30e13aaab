// Runtime test on Cloudflare's workerd: bundles worker.mjs from the BUILT packages with esbuild
// (platform neutral, conditions worker/browser/import: a Node built-in fails the bundle), runs it
// in the npm `workerd` binary with a loopback-only outbound network, and drives it over HTTP
// against a token server + API, another origin, and @authwire/msw's Oracle mock, all on loopback
// in this process. `pnpm build` first; scripts/runtime-matrix.sh runs it as the `workerd` runtime.
// Bounded: every call has a timeout, the whole run a deadline, and workerd is killed on exit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
// Inside scripts/runtime-matrix.sh's 60 s per runtime, so this run's own message is what shows.
const RUN_DEADLINE_MS = 50_000;
const CALL_TIMEOUT_MS = 15_000;
const COMPATIBILITY_DATE = '2026-11-20';
const SECRET = 'workerd-client-secret-7c1e';

for (const name of ['core', 'ky', 'openapi-fetch', 'norce', 'oracle-commerce', 'msw']) {
  if (!existsSync(join(root, `packages/${name}/dist/index.js`))) {
    console.error(`workerd runtime test: no build of @authwire/${name}; run 'pnpm build' first`);
    process.exit(1);
  }
}

// --- bounded: one deadline for the run, workerd killed whatever happens --------------------------

let workerd;
const scratch = mkdtempSync(join(tmpdir(), 'authwire-workerd-'));
function cleanup() {
  if (workerd && workerd.exitCode === null) workerd.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanup();
    process.exit(1);
  });
}
const runDeadline = setTimeout(() => {
  console.error(`workerd runtime test: not done within ${RUN_DEADLINE_MS} ms`);
  process.exit(1);
}, RUN_DEADLINE_MS);
runDeadline.unref();

// --- loopback servers: token endpoint + API, another origin, the Oracle mock ------------------

const tokenRequests = new Map(); // clientId → count
const tokenDelayMs = new Map(); // clientId → ms before the token endpoint answers
const validTokens = new Set();

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
async function readBody(req) {
  let data = '';
  for await (const chunk of req) data += chunk;
  return data;
}
function listen(server) {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)),
  );
}

const api = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://127.0.0.1').pathname;
  if (req.method === 'POST' && path === '/token') {
    const form = new URLSearchParams(await readBody(req));
    const clientId = form.get('client_id') ?? '';
    if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== SECRET) {
      return send(res, 401, { error: 'invalid_client' });
    }
    const n = (tokenRequests.get(clientId) ?? 0) + 1;
    tokenRequests.set(clientId, n);
    const token = `${clientId}-t${n}`;
    setTimeout(() => {
      validTokens.add(token);
      send(res, 200, { access_token: token, token_type: 'bearer', expires_in: 3600 });
    }, tokenDelayMs.get(clientId) ?? 20);
    return;
  }
  if (path === '/api/data') {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !validTokens.has(token)) {
      return send(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer' });
    }
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    return send(res, 200, { token, body });
  }
  send(res, 404, { error: 'not_found' });
});
const other = createServer((req, res) =>
  send(res, 200, { authorization: req.headers.authorization ?? null }),
);

const origin = await listen(api);
const otherOrigin = await listen(other);
const { makeOracleApplicationKey, norceMock, oracleCommerceMock, serveMock } = await import(
  '@authwire/msw'
);
const applicationKey = makeOracleApplicationKey();
const occ = await serveMock((baseUrl) => oracleCommerceMock({ baseUrl, applicationKey }));
const norceServed = await serveMock((baseUrl) =>
  norceMock({ baseUrl, clientId: 'workerd-client', clientSecret: SECRET }),
);

/** Every token issued so far to `clientId` stops working, as a server-side revocation would. */
function revokeAll(clientId) {
  for (const token of validTokens) if (token.startsWith(`${clientId}-t`)) validTokens.delete(token);
}

// --- the Worker: bundle, config, workerd ------------------------------------------------------

const require = createRequire(join(root, 'test/package.json'));
const esbuild = await import(require.resolve('esbuild'));
const bundleStarted = performance.now();
const bundle = await esbuild.build({
  entryPoints: [join(here, 'worker.mjs')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  conditions: ['worker', 'browser', 'import'],
  mainFields: ['module', 'main'],
  external: ['cloudflare:*'],
  target: 'es2022',
  logLevel: 'silent',
});
const code = bundle.outputFiles[0].text;
writeFileSync(join(scratch, 'worker.js'), code);
const gzipKb = (gzipSync(code).length / 1024).toFixed(1);

const text = (value) => JSON.stringify(value);
writeFileSync(
  join(scratch, 'config.capnp'),
  `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "legacy", worker = .legacy),
    # Outbound network: loopback only (the token server, API and mocks of this test).
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:0", http = (), service = "main"),
    (name = "legacy", address = "127.0.0.1:0", http = (), service = "legacy"),
  ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = ${text(COMPATIBILITY_DATE)},
  globalOutbound = "loopback",
  bindings = .bindings,
);
# The same Worker with the older behaviour: awaiting a promise of a request that has ended hangs
# instead of rejecting.
const legacy :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = ${text(COMPATIBILITY_DATE)},
  compatibilityFlags = ["no_handle_cross_request_promise_resolution"],
  globalOutbound = "loopback",
  bindings = .bindings,
);
const bindings :List(Workerd.Worker.Binding) = [
    (name = "ORIGIN", text = ${text(origin)}),
    (name = "OTHER_ORIGIN", text = ${text(otherOrigin)}),
    (name = "ORACLE_ORIGIN", text = ${text(occ.url)}),
    (name = "ORACLE_APP_KEY", text = ${text(applicationKey)}),
    (name = "NORCE_ORIGIN", text = ${text(norceServed.url)}),
    (name = "NORCE_TOKEN_URL", text = ${text(norceServed.mock.tokenUrl)}),
];
`,
);

const workerdBin = require.resolve('workerd/bin/workerd');
const version = (await import(require.resolve('workerd/package.json'), { with: { type: 'json' } }))
  .default.version;
// fd 3 is workerd's control channel: it reports the port it bound ("listen" event).
workerd = spawn(workerdBin, ['serve', join(scratch, 'config.capnp'), '--control-fd=3'], {
  stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
});
let log = '';
workerd.stdout.on('data', (chunk) => {
  log += chunk;
});
workerd.stderr.on('data', (chunk) => {
  log += chunk;
});
const ports = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`workerd did not listen:\n${log}`)), 15_000);
  let control = '';
  workerd.stdio[3].on('data', (chunk) => {
    control += chunk;
    const listening = new Map(
      control
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
        .filter((e) => e.event === 'listen')
        .map((e) => [e.socket, e.port]),
    );
    if (listening.has('http') && listening.has('legacy')) {
      clearTimeout(timer);
      resolve(listening);
    }
  });
  workerd.on('exit', (status) => reject(new Error(`workerd exited (${status}):\n${log}`)));
});
workerd.stdio[3].destroy();
/** One invocation of the Worker (of the legacy one with `socket` 'legacy'); its JSON answer. */
async function call(path, socket = 'http') {
  const response = await fetch(`http://127.0.0.1:${ports.get(socket)}/${path}`, {
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  const body = await response.json();
  assert.ok(body.ok, `${path} answered ${response.status} ${JSON.stringify(body)}`);
  return body;
}
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Polls `condition` every 20 ms, at most `ms`. */
async function until(condition, ms, what) {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

// --- checks ------------------------------------------------------------------------------------

const results = [];
async function check(name, fn) {
  const started = performance.now();
  try {
    await fn();
    results.push(true);
    console.log(`  ok    ${name} (${Math.round(performance.now() - started)} ms)`);
  } catch (error) {
    results.push(false);
    console.log(
      `  FAIL  ${name}\n        ${String(error?.stack ?? error)
        .split('\n')
        .join('\n        ')}`,
    );
  }
}

console.log(
  `authwire on workerd ${version} (compatibility date ${COMPATIBILITY_DATE}); bundle ${gzipKb} kB gzipped, built in ${Math.round(performance.now() - bundleStarted)} ms`,
);

await check(
  'authFetch: a cold herd (10 invocations × 5 sub-requests) makes 1 token request',
  async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call('authfetch?client=herd&n=5')),
    );
    const seen = answers.flatMap((a) => a.seen);
    assert.equal(seen.length, 50);
    assert.ok(
      seen.every((s) => s.status === 200 && s.token === 'herd-t1'),
      JSON.stringify(seen),
    );
    assert.equal(tokenRequests.get('herd'), 1);
  },
);

await check('the token is reused across invocations of the isolate', async () => {
  for (let i = 0; i < 3; i++) {
    const { seen } = await call('authfetch?client=herd&n=2');
    assert.deepEqual(new Set(seen.map((s) => s.token)), new Set(['herd-t1']));
  }
  assert.equal(tokenRequests.get('herd'), 1);
});

await check('another origin gets no token (authFetch and ky)', async () => {
  const { authorization } = await call('foreign');
  assert.deepEqual(authorization, [null, null]);
});

await check('ky: a 401 heals once, the body kept', async () => {
  assert.equal((await call('ky')).token, 'ky-t1');
  revokeAll('ky');
  const healed = await call('ky?method=post');
  assert.equal(healed.token, 'ky-t2');
  assert.equal(healed.body, 'ky-payload');
  assert.equal(tokenRequests.get('ky'), 2);
});

await check("openapi-fetch: a 401 heals through the client's fetch (called unbound)", async () => {
  assert.equal((await call('openapi')).token, 'openapi-t1');
  revokeAll('openapi');
  const healed = await call('openapi?method=post');
  assert.equal(healed.token, 'openapi-t2');
  assert.equal(healed.body, '{"n":1}');
  assert.equal(tokenRequests.get('openapi'), 2);
});

await check(
  'Oracle Commerce preset: 5 invocations log in once; a revoked token heals',
  async () => {
    await Promise.all(Array.from({ length: 5 }, () => call('oracle')));
    assert.equal(occ.mock.control.counters.logins, 1);
    occ.mock.control.revokeAll();
    await call('oracle');
    assert.equal(occ.mock.control.counters.logins, 2);
  },
);

await check(
  'Norce preset through ky: 5 invocations get one token; a revoked token heals',
  async () => {
    await Promise.all(Array.from({ length: 5 }, () => call('norce')));
    assert.equal(norceServed.mock.control.counters.tokenEndpointCalls, 1);
    norceServed.mock.control.revokeAll();
    await call('norce');
    assert.equal(norceServed.mock.control.counters.tokenEndpointCalls, 2);
  },
);

await check(
  'a request that times out on its load: the 8 waiting on it get a token, not its end',
  async () => {
    tokenDelayMs.set('slow', 1_500);
    const impatient = call('impatient?client=slow&timeoutMs=400');
    await until(() => tokenRequests.get('slow') === 1, 5_000, 'the first token request');
    const patient = Promise.all(Array.from({ length: 8 }, () => call('patient?client=slow')));
    const gaveUp = await impatient;
    assert.equal(gaveUp.gaveUp, true);
    assert.equal(gaveUp.code, 'timeout');
    const tokens = new Set((await patient).map((p) => p.token));
    assert.equal(tokens.size, 1, `one token for all: ${[...tokens]}`);
    // The abandoned load's request, and one redone by a waiter.
    assert.equal(tokenRequests.get('slow'), 2);
  },
);

await check(
  'a refresh-ahead started by a request that returns at once, no waitUntil: the next caller needing a token gets one',
  async () => {
    assert.equal((await call('cached?client=refresh')).token, 'refresh-t1');
    tokenDelayMs.set('refresh', 300);
    await call('shift?client=refresh&ms=3540000'); // 60 s left: inside the 120 s refresh window
    assert.equal((await call('cached?client=refresh')).token, 'refresh-t1'); // served at once
    assert.equal((await call('cached?client=refresh')).token, 'refresh-t1');
    await call('shift?client=refresh&ms=50000'); // 10 s left: past the 30 s expiry margin
    const fresh = (await call('cached?client=refresh')).token;
    assert.match(fresh, /^refresh-t[23]$/);
    assert.ok((tokenRequests.get('refresh') ?? 0) <= 3);
  },
);

await check(
  'a refresh-ahead started by a request that returns at once, with waitUntil: it completes',
  async () => {
    assert.equal((await call('cached?client=refresh-kept')).token, 'refresh-kept-t1');
    tokenDelayMs.set('refresh-kept', 300);
    await call('shift?client=refresh-kept&ms=3540000');
    assert.equal((await call('cached?client=refresh-kept')).token, 'refresh-kept-t1'); // at once
    await until(() => validTokens.has('refresh-kept-t2'), 5_000, 'the refresh to be answered');
    let token = '';
    for (let i = 0; i < 50 && token !== 'refresh-kept-t2'; i++) {
      token = (await call('cached?client=refresh-kept')).token;
      if (token !== 'refresh-kept-t2') await pause(20);
    }
    assert.equal(token, 'refresh-kept-t2');
    assert.equal(tokenRequests.get('refresh-kept'), 2);
  },
);

await check(
  'older compatibility flags (a wait on an ended request hangs): the 8 waiting redo the load once it outlives its bound',
  async () => {
    tokenDelayMs.set('short-legacy', 300);
    const impatient = call('impatient?client=short-legacy&timeoutMs=100', 'legacy');
    await until(() => tokenRequests.get('short-legacy') === 1, 5_000, 'the first token request');
    const patient = Promise.all(
      Array.from({ length: 8 }, () => call('patient?client=short-legacy', 'legacy')),
    );
    assert.equal((await impatient).code, 'timeout');
    const tokens = new Set((await patient).map((p) => p.token));
    assert.equal(tokens.size, 1, `one token for all: ${[...tokens]}`);
    assert.equal(tokenRequests.get('short-legacy'), 2);
  },
);

await check('nothing logged as an unhandled rejection', async () => {
  await pause(100);
  for (const socket of ['http', 'legacy']) {
    const { unhandled } = await call('unhandled', socket);
    assert.deepEqual(unhandled, [], socket);
  }
  assert.doesNotMatch(log, /uncaught|unhandled/i, log);
});

// --- teardown ----------------------------------------------------------------------------------

workerd.kill('SIGTERM');
await Promise.race([new Promise((resolve) => workerd.once('exit', resolve)), pause(2_000)]);
api.closeAllConnections();
other.closeAllConnections();
await Promise.all([
  new Promise((resolve) => api.close(resolve)),
  new Promise((resolve) => other.close(resolve)),
  occ.close(),
  norceServed.close(),
]);
const notes = log.trim();
if (notes) console.log(`  workerd said:\n    ${notes.split('\n').join('\n    ')}`);
const failed = results.filter((ok) => !ok).length;
console.log(`${results.length - failed} passed, ${failed} failed (workerd ${version})`);
process.exitCode = failed > 0 ? 1 : 0;
