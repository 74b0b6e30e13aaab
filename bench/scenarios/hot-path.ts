// 1b. The hot path without the network: cached token, authorize() + header attach, per adapter
// with a stub transport; and heap growth over 1,000,000 authorize() calls.

import { withAuth as axiosAuth } from '@authwire/axios';
import { authHooks as gotHooks } from '@authwire/got';
import { withAuth as kyAuth } from '@authwire/ky';
import { withAuth as openapiAuth } from '@authwire/openapi-fetch';
import axios from 'axios';
import { Options as GotOptions } from 'got';
import ky from 'ky';
import createClient from 'openapi-fetch';
import { Bench } from 'tinybench';
import { config } from '../lib/config.ts';
import { ORIGIN, staticManager, stubAdapter, stubFetch, URL_ } from '../lib/hot-path-stubs.ts';
import { median, round, settledHeap } from '../lib/stats.ts';

export interface HotPathPair {
  readonly adapter: string;
  /** Mean µs per request with a static header (stub transport). */
  readonly bareUs: number;
  /** Mean µs per request with authwire (cached token). */
  readonly authwireUs: number;
  readonly addedUs: number;
}

export interface HeapResult {
  readonly calls: number;
  /** heapUsed after the 10,000-call warm-up. */
  readonly startBytes: number;
  /** heapUsed at the 10 % checkpoint; growth is measured from here to the end. */
  readonly beforeBytes: number;
  readonly afterBytes: number;
  readonly growthBytes: number;
  readonly bytesPerCall: number;
  readonly ms: number;
}

export interface HotPathResult {
  readonly pairs: readonly HotPathPair[];
}

// The median, not the mean: on a shared 2-core machine a few GC pauses or preemptions would
// otherwise decide the result.
const p50Us = (bench: Bench, name: string): number => {
  const task = bench.getTask(name);
  const result = task?.result as { state: string; latency?: { p50: number } } | undefined;
  if (!result?.latency) throw new Error(`${name}: ${result?.state ?? 'missing'}`);
  return result.latency.p50 * 1000;
};

export async function runHotPath(log: (line: string) => void): Promise<HotPathResult> {
  const auth = staticManager('bench|hot-path');
  const token = await auth.getToken();
  const staticHeaders = { Authorization: `Bearer ${token.accessToken}` };

  const axiosBare = axios.create({ adapter: stubAdapter, headers: staticHeaders });
  const axiosAuthed = axiosAuth(axios.create({ adapter: stubAdapter }), auth);

  const kyBare = ky.create({ fetch: stubFetch, headers: staticHeaders, retry: 0 });
  const kyAuthed = kyAuth(ky.create({ fetch: stubFetch, retry: 0 }), auth);

  const openapiBare = createClient({ baseUrl: ORIGIN, fetch: stubFetch, headers: staticHeaders });
  const openapiAuthed = openapiAuth(createClient({ baseUrl: ORIGIN, fetch: stubFetch }), auth);
  const openapiGet = (client: { GET: unknown }) =>
    client.GET as (path: string, init: object) => Promise<unknown>;
  const getBare = openapiGet(openapiBare);
  const getAuthed = openapiGet(openapiAuthed);

  // got has no stub transport: time its beforeRequest hook against setting the header by hand.
  const hook = gotHooks(auth).beforeRequest?.[0] as (
    options: GotOptions,
    context: object,
  ) => Promise<void>;
  const gotOptions = new GotOptions(URL_);

  const headers = new Headers();
  const staticAuthorization = { token, headers: staticHeaders };
  const tasks = (bench: Bench): Bench =>
    bench
      .add('core: static', async () => {
        const authorization = await Promise.resolve(staticAuthorization);
        for (const [name, value] of Object.entries(authorization.headers)) headers.set(name, value);
      })
      .add('core: authwire', async () => {
        const authorization = await auth.authorize(URL_);
        for (const [name, value] of Object.entries(authorization?.headers ?? {}))
          headers.set(name, value);
      })
      .add('axios: static', () => axiosBare.get(URL_))
      .add('axios: authwire', () => axiosAuthed.get(URL_))
      .add('ky: static', () => kyBare.get(URL_))
      .add('ky: authwire', () => kyAuthed.get(URL_))
      .add('got: static', async () => {
        gotOptions.headers.authorization = staticHeaders.Authorization;
      })
      .add('got: authwire', () => hook(gotOptions, {}))
      .add('openapi-fetch: static', () => getBare('/orders', {}))
      .add('openapi-fetch: authwire', () => getAuthed('/orders', {}));
  // Three passes, the pair members side by side in each; the median of the passes is reported.
  const passes: Bench[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const bench = tasks(new Bench({ time: config.hotPath.timeMs, warmupTime: 200 }));
    await bench.run();
    passes.push(bench);
  }
  const usOf = (name: string): number => median(passes.map((bench) => p50Us(bench, name)));

  const pairs: HotPathPair[] = ['core', 'axios', 'ky', 'got', 'openapi-fetch'].map((adapter) => {
    const bareUs = usOf(`${adapter}: static`);
    const authwireUs = usOf(`${adapter}: authwire`);
    return {
      adapter,
      bareUs: round(bareUs, 2),
      authwireUs: round(authwireUs, 2),
      addedUs: round(authwireUs - bareUs, 2),
    };
  });
  log('  hot path: micro-benchmarks done');
  passes.length = 0;

  await auth.close();
  return { pairs };
}

/**
 * N authorize() calls on a warm cache, heapUsed after forced GC at checkpoints. Growth is judged
 * from the 10 % checkpoint on, so one-time allocations (JIT, inline caches, lazily built module
 * state) do not count as growth; nothing else of the bench is alive while it runs.
 */
export async function runHeapGrowth(): Promise<HeapResult> {
  const auth = staticManager('bench|hot-path');
  const calls = config.hotPath.heapCalls;
  const checkpoint = Math.floor(calls / 10);
  for (let i = 0; i < 10_000; i++) await auth.authorize(URL_);
  const startBytes = await settledHeap();
  const started = performance.now();
  let beforeBytes = startBytes;
  for (let i = 1; i <= calls; i++) {
    const authorization = await auth.authorize(URL_);
    if (!authorization) throw new Error('not authorized');
    if (i === checkpoint) beforeBytes = await settledHeap();
  }
  const ms = performance.now() - started;
  const afterBytes = await settledHeap();
  await auth.close();
  return {
    calls,
    startBytes,
    beforeBytes,
    afterBytes,
    growthBytes: afterBytes - beforeBytes,
    bytesPerCall: round((afterBytes - beforeBytes) / (calls - checkpoint), 4),
    ms: round(ms, 0),
  };
}
