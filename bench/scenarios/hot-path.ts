// 1c. Heap growth over 1,000,000 authorize() calls on a warm cache. (The per-request cost is
// measured on whole requests: end to end in overhead.ts, in instructions in callgrind.ts.)
import { config } from '../lib/config.ts';
import { staticManager, URL_ } from '../lib/hot-path-stubs.ts';
import { round, settledHeap } from '../lib/stats.ts';

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
