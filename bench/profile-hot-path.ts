// Profiles authwire's hot path (cached token, stub transports) for `--cpu-prof`:
//   node --cpu-prof --cpu-prof-dir=bench/results/profile --conditions=@authwire/source bench/profile-hot-path.ts [axios|ky|openapi-fetch|core]
import { withAuth as axiosAuth } from '@authwire/axios';
import { withAuth as kyAuth } from '@authwire/ky';
import { withAuth as openapiAuth } from '@authwire/openapi-fetch';
import axios from 'axios';
import ky from 'ky';
import createClient from 'openapi-fetch';
import { ORIGIN, staticManager, stubAdapter, stubFetch, URL_ } from './lib/hot-path-stubs.ts';

const which = process.argv[2] ?? 'core';
const iterations = Number(process.env.PROFILE_ITERATIONS ?? 200_000);

const auth = staticManager('bench|profile');
await auth.getToken();

const run: Record<string, () => Promise<unknown>> = {
  core: () => auth.authorize(URL_),
  axios: (() => {
    const client = axiosAuth(axios.create({ adapter: stubAdapter }), auth);
    return () => client.get(URL_);
  })(),
  ky: (() => {
    const client = kyAuth(ky.create({ fetch: stubFetch, retry: 0 }), auth);
    return () => client.get(URL_);
  })(),
  'openapi-fetch': (() => {
    const client = openapiAuth(createClient({ baseUrl: ORIGIN, fetch: stubFetch }), auth);
    const get = client.GET as unknown as (path: string, init: object) => Promise<unknown>;
    return () => get('/orders', {});
  })(),
};
const task = run[which];
if (!task) throw new Error(`unknown target ${which}`);
const started = performance.now();
for (let i = 0; i < iterations; i++) await task();
const us = ((performance.now() - started) * 1000) / iterations;
process.stdout.write(`${which}: ${iterations} calls, ${us.toFixed(2)} µs/call\n`);
await auth.close();
