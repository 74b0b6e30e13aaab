// One arm of the callgrind comparison, in a process of its own. The client of `family` for the arm
// `kind` (static header; static header with the hooks authwire installs, doing nothing —
// lib/hook-floors.ts; authwire) is built and warmed up with `warmup` whole GETs, then `requests`
// more are counted (`none`: the baseline run, nothing built). The bench runs the bundled file under
//   valgrind --tool=callgrind node --predictable … worker.mjs <none|static|hooks|bare-hooks|authwire> <warmup> <requests> <port>
// with instrumentation on only around the counted loop, and subtracts the baseline's count (the
// two switches) from each arm's, so only N whole requests through the client remain.
import { getHeapStatistics } from 'node:v8';
import { createTokenManager, memoryStore, type Token } from '@authwire/core';
import { dpop as dpopOption } from '@authwire/core/dpop';
import {
  axiosFloor,
  fetchFloor,
  gotFloorHooks,
  kyFloorHooks,
  openapiFetchFloor,
  undiciFloor,
} from './lib/hook-floors.ts';

// The bundler replaces `process.env.CALLGRIND_FAMILY` with the family, so each bundle holds one client.
const family = process.env.CALLGRIND_FAMILY ?? 'fetch';
const [kind = 'static', warmupArg = '0', requestsArg = '0', port = '0', jitterArg = '0'] =
  process.argv.slice(2);
const warmup = Number(warmupArg);
const requests = Number(requestsArg);
const origin = `http://127.0.0.1:${port}`;
const url = `${origin}/data`;
const ACCESS_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl';

// The bench's DPoP row (BENCH_ONLY=dpop) bundles this worker with CALLGRIND_DPOP=1: the token is
// DPoP-bound and every authwire request signs a proof.
const dpop = process.env.CALLGRIND_DPOP === '1';

// `jitter` > 0 shifts the heap layout and the identity hashes before anything is built (objects
// kept alive, hashes drawn), as an unrelated change in the bundle does: a run repeated with it
// shows how far a count moves for reasons that are not the code under test.
const jitter = Number(jitterArg);
const ballast = Array.from({ length: jitter * 997 }, (_, i) => ({ i }));
const hashed = new WeakSet(ballast.slice(0, jitter * 101));
(globalThis as Record<string, unknown>).callgrindBallast = [ballast, hashed];

// A cached token that never needs a request: every arm sends the same bytes.
const auth = createTokenManager(
  {
    key: 'bench|callgrind',
    fetchToken: async (): Promise<Token> => ({
      accessToken: ACCESS_TOKEN,
      tokenType: dpop ? 'DPoP' : 'Bearer',
      issuedAt: Date.now(),
      expiresAt: Date.now() + 3_600_000,
    }),
  },
  { origins: [origin], store: memoryStore(), ...(dpop ? { dpop: dpopOption() } : {}) },
);
await auth.getToken();
const staticHeaders = { Authorization: `Bearer ${ACCESS_TOKEN}` };

// Global fetch (ky, openapi-fetch, authFetch) on an undici Agent without header/body timeouts, as
// the undici row below: the default agent's timers tick on wall time, so under valgrind (and a
// loaded machine) their instructions varied from run to run by up to 3.7 % of a request.
if (family === 'ky' || family === 'openapi-fetch' || family === 'fetch') {
  const { Agent, setGlobalDispatcher } = await import('undici');
  setGlobalDispatcher(new Agent({ headersTimeout: 0, bodyTimeout: 0 }));
}

// `bare-hooks`: the hooks arm without the static header — for ky and openapi-fetch a default
// Authorization header costs more once hooks are installed (ky clones its default headers for init
// hooks), while authwire sets its header on the request; authwire − bare-hooks bounds its own work
// from above (it includes setting the header).
type Arm = 'static' | 'hooks' | 'bare-hooks' | 'authwire';

async function client(arm: Arm): Promise<() => Promise<number>> {
  const authed = arm === 'authwire';
  const hooks = arm === 'hooks' || arm === 'bare-hooks';
  const headers = authed || arm === 'bare-hooks' ? {} : staticHeaders;
  const { Agent } = await import('node:http');
  if (family === 'axios') {
    const { default: axios } = await import('axios');
    const { withAuth } = await import('@authwire/axios');
    const base = axios.create({ headers, httpAgent: new Agent({ keepAlive: true }) });
    const api = authed ? withAuth(base, auth) : hooks ? axiosFloor(base) : base;
    return async () => (await api.get(url)).status;
  }
  if (family === 'got') {
    const { default: got } = await import('got');
    const { withAuth } = await import('@authwire/got');
    const base = got.extend({
      headers,
      agent: { http: new Agent({ keepAlive: true }) },
      retry: { limit: 0 },
    });
    const api = authed
      ? withAuth(base, auth)
      : hooks
        ? base.extend({ hooks: gotFloorHooks() })
        : base;
    return async () => (await api.get(url)).statusCode;
  }
  if (family === 'ky') {
    const { default: ky } = await import('ky');
    const { withAuth } = await import('@authwire/ky');
    const base = ky.create({ headers, retry: 0 });
    // The hooks arm sends its static header from the floor's fetch, not as a default header (ky
    // clones default headers for init hooks; authwire's client has none): lib/hook-floors.ts.
    const api = authed
      ? withAuth(base, auth)
      : arm === 'hooks'
        ? ky.create({ retry: 0 }).extend({ hooks: kyFloorHooks(staticHeaders) })
        : hooks
          ? base.extend({ hooks: kyFloorHooks() })
          : base;
    return async () => {
      const response = await api.get(url);
      await response.arrayBuffer();
      return response.status;
    };
  }
  if (family === 'openapi-fetch') {
    const { default: createClient } = await import('openapi-fetch');
    const { withAuth } = await import('@authwire/openapi-fetch');
    const base = createClient({ baseUrl: origin, headers });
    const api = authed ? withAuth(base, auth) : base;
    if (hooks) api.use(openapiFetchFloor());
    const get = api.GET as unknown as (
      path: string,
      init: object,
    ) => Promise<{ response: Response }>;
    return async () => (await get('/data', { parseAs: 'arrayBuffer' })).response.status;
  }
  if (family === 'undici') {
    // Node's own fetch on an undici 8 Agent, plain or composed with authwire(), wrapped as
    // undici 8's setGlobalDispatcher wraps it for Node's fetch (which dispatches with the older
    // handler shape); passed per call so every arm lives in one process. No header/body timeouts:
    // undici's timers tick on wall time, so under valgrind their count varies from run to run.
    const { Agent, Dispatcher1Wrapper } = await import('undici');
    const { authwire } = await import('@authwire/undici');
    const plain = new Agent({ headersTimeout: 0, bodyTimeout: 0 });
    const agent = authed
      ? plain.compose(authwire(auth))
      : hooks
        ? plain.compose(undiciFloor())
        : plain;
    const dispatcher = new Dispatcher1Wrapper(agent);
    return async () => {
      const response = await fetch(url, { headers, dispatcher } as RequestInit);
      await response.arrayBuffer();
      return response.status;
    };
  }
  {
    const { authFetch } = await import('@authwire/core');
    const send = authed ? authFetch(auth) : hooks ? fetchFloor() : fetch;
    return async () => {
      const response = await send(url, { headers });
      await response.arrayBuffer();
      return response.status;
    };
  }
}

// Only the arm being counted is built and warmed up: its code sees no other client's shapes, as in
// an application (with all three warmed in one process, the warm-up order shifted arms by up to
// ±5 %). `none` builds nothing: instrumentation covers only the counted loop, so the baseline run
// only measures switching it on and off.
const isArm = (name: string): name is Arm =>
  name === 'static' || name === 'hooks' || name === 'bare-hooks' || name === 'authwire';
const arm = isArm(kind) ? await client(kind) : undefined;
const run = async (send: () => Promise<number>, count: number): Promise<void> => {
  for (let i = 0; i < count; i++) {
    const status = await send();
    if (status !== 200) throw new Error(`${family} request ${i}: status ${status}`);
  }
};
if (arm) await run(arm, warmup);
// A full GC, then a new space (64 MB, NODE_FLAGS) that the counted loop does not fill: no
// collection runs inside it, in any arm. Otherwise where a scavenge or an incremental-marking step
// lands shifts an arm by up to ~100k instructions per request; what an arm allocates is reported
// beside its count instead (heap used after the loop − before: nothing was collected in between).
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
// With a parent on stdin/stdout (the bench), only the counted loop runs instrumented: the parent
// switches callgrind's instrumentation on after "ready" and off after "done".
const handshake = process.env.CALLGRIND_HANDSHAKE === '1';
const lines = handshake ? process.stdin[Symbol.asyncIterator]() : undefined;
const heapBefore = getHeapStatistics().used_heap_size;
if (lines) {
  process.stdout.write('ready\n');
  await lines.next();
}
if (arm) await run(arm, requests);
const allocated = getHeapStatistics().used_heap_size - heapBefore;
if (lines) {
  process.stdout.write('done\n');
  await lines.next();
  process.stdout.write(`allocated ${allocated}\n`);
}
await auth.close();
process.exit(0);
