// Counts the authwire functions (calls) and source files one cold request and one healed 401 go through
// with axios, by V8 precise coverage deltas. Run: node --conditions=@authwire/source bench/frames.ts
import { Session } from 'node:inspector/promises';
import { withAuth } from '@authwire/axios';
import { clientCredentials, createTokenManager, memoryStore } from '@authwire/core';
import axios, { AxiosError } from 'axios';

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });

type Counts = Map<string, number>;
async function snapshot(): Promise<Counts> {
  const { result } = await session.post('Profiler.takePreciseCoverage');
  const counts: Counts = new Map();
  for (const script of result) {
    if (!/packages\/(core|axios)\/src/.test(script.url)) continue;
    const file = script.url.replace(/^.*packages\//, '');
    for (const fn of script.functions) {
      if (!fn.functionName && fn.ranges[0]?.startOffset === 0) continue; // module body
      const count = fn.ranges[0]?.count ?? 0;
      if (count > 0)
        counts.set(
          `${file} ${fn.functionName || '(anonymous)'}@${fn.ranges[0]?.startOffset}`,
          count,
        );
    }
  }
  return counts;
}
function report(label: string, counts: Counts): void {
  const calls = [...counts.values()].reduce((a, b) => a + b, 0);
  const files = new Set([...counts.keys()].map((k) => k.split(' ')[0]));
  console.log(
    `${label}: ${calls} calls of ${counts.size} authwire functions in ${files.size} files`,
  );
  if (process.env.SHOW) for (const [k, v] of counts) console.log(`  ${v} ${k}`);
}

let issued = 0;
const tokenFetch = (async () =>
  new Response(
    JSON.stringify({ access_token: `t${++issued}`, token_type: 'Bearer', expires_in: 3600 }),
    {
      headers: { 'content-type': 'application/json' },
    },
  )) as typeof fetch;
const auth = createTokenManager(
  clientCredentials({
    tokenUrl: 'https://id.example.com/token',
    clientId: 'c',
    clientSecret: 'secret-1',
  }),
  { origins: ['https://api.example.com'], store: memoryStore(), fetch: tokenFetch },
);
let calls = 0;
const api = withAuth(
  axios.create({
    baseURL: 'https://api.example.com',
    adapter: async (config) => {
      calls += 1;
      const status = calls === 2 ? 401 : 200;
      const response = { data: {}, status, statusText: '', headers: {}, config, request: {} };
      if (status === 401)
        throw new AxiosError('401', 'ERR_BAD_REQUEST', config, {}, response as never);
      return response;
    },
  }),
  auth,
);
await snapshot(); // resets the counters
await api.get('/a');
report('cold request (token fetch + send)', await snapshot());
await api.get('/b');
report('a 401 healed (send, 401, new token, retry)', await snapshot());
await api.get('/c');
report('warm request (cached token)', await snapshot());
await auth.close();
session.disconnect();
