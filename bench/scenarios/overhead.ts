// 1. Per-request overhead against a plain loopback server: bare client vs authwire vs peer, interleaved.
import { performance } from 'node:perf_hooks';
import { clientCredentials, createTokenManager, memoryStore } from '@authwire/core';
import {
  type Arm,
  authwireArms,
  bareArms,
  type Family,
  peerArms,
  type Target,
} from '../lib/arms.ts';
import { config } from '../lib/config.ts';
import { credentials, serveNorce } from '../lib/fixture.ts';
import { forkTs } from '../lib/processes.ts';
import { median, quantile, round, sum } from '../lib/stats.ts';

export interface ArmResult {
  readonly name: string;
  readonly family: Family;
  readonly kind: Arm['kind'];
  readonly requests: number;
  readonly medianUs: number;
  readonly p90Us: number;
  readonly throughputRps: number;
  /** Against the family's bare client: ratio of median latencies (1.00 = free). */
  readonly ratioMedian: number;
  /** Against the bare client: median over rounds of (this request's time / the bare one's). */
  readonly ratioPaired: number;
  readonly throughputRatio: number;
  readonly addedUs: number;
  readonly failures: number;
}

export interface OverheadResult {
  /** Requests per arm, interleaved one at a time with the other arms of the family. */
  readonly requests: number;
  readonly arms: readonly ArmResult[];
}

interface Samples {
  latencies: number[];
  failures: number;
}

// One request at a time, arms alternating: drift on a shared machine hits every arm alike. (Batches
// of 200 per arm, tried first, left ±3 % of noise between arms; this leaves about ±0.5 %.)
async function one(arm: Arm, samples: Samples): Promise<void> {
  const t0 = performance.now();
  const status = await arm.send();
  samples.latencies.push((performance.now() - t0) * 1000);
  if (status !== 200) samples.failures += 1;
}

export async function runOverhead(log: (line: string) => void): Promise<OverheadResult> {
  const { requests, warmup } = config.overhead;
  const { child, first } = await forkTs<{ port: number }>('lib/plain-server.ts');
  const served = await serveNorce();
  const origin = `http://127.0.0.1:${first.port}`;
  const target: Target = {
    url: `${origin}/data`,
    staticHeaders: {},
    tokenUrl: served.mock.tokenUrl,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    scope: credentials.scope,
  };
  const auth = createTokenManager(
    clientCredentials({
      tokenUrl: served.mock.tokenUrl,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      scope: credentials.scope,
    }),
    { origins: [origin], store: memoryStore() },
  );
  const token = await auth.getToken();
  const all = [
    ...bareArms(target, token.accessToken),
    ...authwireArms(target, auth),
    ...peerArms(target),
  ];
  const families = [...new Set(all.map((arm) => arm.family))];
  const results: ArmResult[] = [];
  try {
    for (const family of families) {
      const arms = all.filter((arm) => arm.family === family);
      const samples = new Map<Arm, Samples>(
        arms.map((arm) => [arm, { latencies: [], failures: 0 }]),
      );
      for (const arm of arms) {
        const scratch: Samples = { latencies: [], failures: 0 };
        for (let i = 0; i < warmup; i++) await one(arm, scratch);
        if (scratch.failures > 0)
          throw new Error(`${arm.name}: ${scratch.failures} warm-up requests failed`);
      }
      for (let round = 0; round < requests; round++) {
        // Rotate and alternate the order (A B C, C A B … reversed every other round) so "who
        // goes first" cancels out too.
        const shift = round % arms.length;
        let order = [...arms.slice(shift), ...arms.slice(0, shift)];
        if (round % 2 === 1) order = order.reverse();
        for (const arm of order) await one(arm, samples.get(arm) as Samples);
      }
      const bare = arms.find((arm) => arm.kind === 'bare') as Arm;
      const base = samples.get(bare) as Samples;
      const baseMedian = median(base.latencies);
      const baseRps = (base.latencies.length / sum(base.latencies)) * 1e6;
      for (const arm of arms) {
        const own = samples.get(arm) as Samples;
        const med = median(own.latencies);
        const rps = (own.latencies.length / sum(own.latencies)) * 1e6;
        const paired = own.latencies.map((us, i) => us / (base.latencies[i] as number));
        results.push({
          name: arm.name,
          family,
          kind: arm.kind,
          requests: own.latencies.length,
          medianUs: round(med, 1),
          p90Us: round(quantile(own.latencies, 0.9), 1),
          throughputRps: round(rps, 0),
          ratioMedian: round(med / baseMedian, 4),
          ratioPaired: round(median(paired), 4),
          throughputRatio: round(baseRps / rps, 4),
          addedUs: round(med - baseMedian, 1),
          failures: own.failures,
        });
      }
      log(`  overhead: ${family} done`);
    }
  } finally {
    await auth.close();
    await served.close();
    child.disconnect();
  }
  return { requests, arms: results };
}
