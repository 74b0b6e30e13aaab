// 1c. What a DPoP proof adds per request: authFetch with a Bearer token vs the same with a DPoP-bound
// token (an ES256 signature, a SHA-256 of the token, a JSON header), in callgrind instructions and
// in wall time over loopback, arms alternating request by request.
import { spawnSync } from 'node:child_process';
import { authFetch, createTokenManager, memoryStore, type Token } from '@authwire/core';
import { dpop as dpopOption } from '@authwire/core/dpop';
import { bundleCallgrindWorker } from '../lib/bundle-worker.ts';
import { config } from '../lib/config.ts';
import { forkTs } from '../lib/processes.ts';
import { median, quantile, round } from '../lib/stats.ts';
import { countInstructions, NODE_FLAGS, pool, valgrindVersion } from './callgrind.ts';

export interface DpopArm {
  readonly instrPerRequest?: number;
  readonly medianUs: number;
  readonly p90Us: number;
}

export interface DpopResult {
  readonly requests: number;
  readonly callgrindRequests: number;
  readonly callgrindSkipped?: string;
  readonly nodeFlags: readonly string[];
  readonly bearer: DpopArm;
  readonly dpop: DpopArm;
  /** DPoP minus Bearer: instructions and median µs a proof adds to one whole request. */
  readonly addedInstr?: number;
  readonly addedUs: number;
  /** `auth.authorize()` alone with DPoP: the proof without the HTTP request, median µs. */
  readonly proofUs: number;
}

const ACCESS_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl';

function manager(origin: string, dpop: boolean) {
  return createTokenManager(
    {
      key: `bench|dpop|${dpop}`,
      fetchToken: async (): Promise<Token> => ({
        accessToken: ACCESS_TOKEN,
        tokenType: dpop ? 'DPoP' : 'Bearer',
        issuedAt: Date.now(),
        expiresAt: Date.now() + 3_600_000,
      }),
    },
    { origins: [origin], store: memoryStore(), ...(dpop ? { dpop: dpopOption() } : {}) },
  );
}

/** Instructions per request of authFetch with a Bearer and with a DPoP token (baseline runs subtracted). */
async function instructions(port: string): Promise<{ bearer: number; dpop: number } | string> {
  if (!valgrindVersion()) return 'valgrind not installed';
  if (spawnSync('callgrind_control', ['-h']).error) return 'callgrind_control not found';
  const { warmup, requests, parallel } = config.callgrind;
  const bearerWorker = await bundleCallgrindWorker('fetch');
  const dpopWorker = await bundleCallgrindWorker('fetch', true);
  const args = (kind: string, n: number) => [kind, String(warmup), String(n), port];
  const [bearerNone, bearer, dpopNone, dpop] = (await pool(
    [
      () => countInstructions(bearerWorker, args('none', 0)),
      () => countInstructions(bearerWorker, args('authwire', requests)),
      () => countInstructions(dpopWorker, args('none', 0)),
      () => countInstructions(dpopWorker, args('authwire', requests)),
    ],
    parallel,
  )) as [number, number, number, number];
  return {
    bearer: Math.round((bearer - bearerNone) / requests),
    dpop: Math.round((dpop - dpopNone) / requests),
  };
}

export async function runDpop(log: (line: string) => void): Promise<DpopResult> {
  const { requests, warmup } = config.overhead;
  const server = await forkTs<{ port: number }>('lib/plain-server.ts');
  try {
    const port = String(server.first.port);
    const origin = `http://127.0.0.1:${port}`;
    const url = `${origin}/data`;
    const bearerAuth = manager(origin, false);
    const dpopAuth = manager(origin, true);
    const arms = { bearer: authFetch(bearerAuth), dpop: authFetch(dpopAuth) };
    const times = { bearer: [] as number[], dpop: [] as number[] };
    const once = async (arm: 'bearer' | 'dpop', record: boolean): Promise<void> => {
      const started = performance.now();
      const response = await arms[arm](url);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`dpop bench: status ${response.status}`);
      if (record) times[arm].push((performance.now() - started) * 1000);
    };
    for (let i = 0; i < warmup; i++) {
      await once('bearer', false);
      await once('dpop', false);
    }
    log(`  dpop: ${requests} requests per arm over loopback…`);
    for (let i = 0; i < requests; i++) {
      // Alternate which arm goes first, so neither always follows the other.
      const order = i % 2 === 0 ? (['bearer', 'dpop'] as const) : (['dpop', 'bearer'] as const);
      for (const arm of order) await once(arm, true);
    }
    const proofTimes: number[] = [];
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      await dpopAuth.authorize(url, { method: 'GET' });
      proofTimes.push((performance.now() - started) * 1000);
    }
    await Promise.all([bearerAuth.close(), dpopAuth.close()]);
    log('  dpop: callgrind…');
    const counted = await instructions(port);
    const arm = (name: 'bearer' | 'dpop'): DpopArm => ({
      ...(typeof counted === 'string' ? {} : { instrPerRequest: counted[name] }),
      medianUs: round(median(times[name]), 1),
      p90Us: round(quantile(times[name], 0.9), 1),
    });
    const bearer = arm('bearer');
    const dpop = arm('dpop');
    return {
      requests,
      callgrindRequests: config.callgrind.requests,
      ...(typeof counted === 'string' ? { callgrindSkipped: counted } : {}),
      nodeFlags: NODE_FLAGS,
      bearer,
      dpop,
      ...(typeof counted === 'string' ? {} : { addedInstr: counted.dpop - counted.bearer }),
      addedUs: round(dpop.medianUs - bearer.medianUs, 1),
      proofUs: round(median(proofTimes), 1),
    };
  } finally {
    server.child.disconnect();
  }
}
