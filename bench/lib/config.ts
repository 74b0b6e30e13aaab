// Run size: the full run stays under ~3 minutes on 2 shared cores; BENCH_QUICK=1 is a ~20 s smoke run.

export const quick = process.env.BENCH_QUICK === '1';

export const config = {
  quick,
  /** Interleaved overhead: requests per arm (one at a time, arms alternating), warm-up per arm. */
  overhead: quick ? { requests: 500, warmup: 100 } : { requests: 6_000, warmup: 500 },
  /** Hot-path micro-benchmark time per task (ms) and the heap-growth loop size. */
  hotPath: quick ? { timeMs: 50, heapCalls: 200_000 } : { timeMs: 300, heapCalls: 1_000_000 },
  herdSize: quick ? 100 : 1_000,
  steady: quick
    ? { durationMs: 600_000, tickMs: 10_000, perTick: 2, lifetimeS: 120 }
    : { durationMs: 600_000, tickMs: 1_000, perTick: 4, lifetimeS: 120 },
  scale: quick ? [10, 1_000] : [10, 100, 1_000, 10_000],
  fleet: quick ? [1, 2] : [1, 2, 4, 8, 16],
  fleetRequestsPerProcess: quick ? 10 : 50,
  /** Tenants (managers, wrapped clients) in the memory-per-tenant scenario. */
  tenants: quick ? 1_000 : 10_000,
};
