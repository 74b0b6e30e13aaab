// Run size: the full run stays under ~3 minutes on 2 shared cores; BENCH_QUICK=1 is a ~20 s smoke run.

export const quick = process.env.BENCH_QUICK === '1';

export const config = {
  quick,
  /** Interleaved overhead: requests per arm (one at a time, arms alternating), warm-up per arm. */
  overhead: quick ? { requests: 500, warmup: 100 } : { requests: 6_000, warmup: 500 },
  /** Hot-path micro-benchmark time per task (ms) and the heap-growth loop size. */
  hotPath: quick ? { timeMs: 50, heapCalls: 200_000 } : { timeMs: 300, heapCalls: 1_000_000 },
  /**
   * Callgrind: warm-up GETs per client, then the counted GETs of one arm; valgrind runs at a time;
   * heap layouts each arm runs in (the spread across them is the noise a verdict respects).
   */
  callgrind: quick
    ? { warmup: 10, requests: 20, parallel: 2, layouts: 2 }
    : { warmup: 100, requests: 60, parallel: 2, layouts: 3 },
  herdSize: quick ? 100 : 1_000,
  /**
   * Steady load on simulated time: `perTick` callers per tick, for `[lifetime s, lifetimes, mean ms
   * between ticks]` (ticks thin out for long lifetimes to keep the run short);
   * the token endpoint takes `tokenLatencyMs` per round trip, an API request `apiLatencyMs` to
   * arrive. Every client runs at `allAdaptersAtS`; at `fewerClientsFromS` and above only core + fetch,
   * the fixed windows, axios-auth-refresh (the docs-hook peers share its token cache) and
   * @badgateway run, to keep the run short.
   */
  steady: {
    perTick: 4,
    tokenLatencyMs: 100,
    apiLatencyMs: 10,
    allAdaptersAtS: 120,
    fewerClientsFromS: 600,
    lifetimes: (quick
      ? [
          [60, 3, 1_000],
          [120, 3, 1_000],
        ]
      : [
          [60, 4, 1_000],
          [120, 3, 1_000],
          [600, 2, 3_000],
          [3600, 1.25, 10_000],
        ]) as readonly (readonly [number, number, number])[],
  },
  scale: quick ? [10, 1_000] : [10, 100, 1_000, 10_000],
  fleet: quick ? [1, 2] : [1, 2, 4, 8, 16],
  fleetRequestsPerProcess: quick ? 10 : 50,
  /** Tenants (managers, wrapped clients) in the memory-per-tenant scenario. */
  tenants: quick ? 1_000 : 10_000,
};
