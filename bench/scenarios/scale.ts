// 3a. Concurrency: token requests and heap as 10 → 10,000 callers ask a cold manager at once.
import { clientCredentials, createTokenManager, memoryStore } from '@authwire/core';
import { config } from '../lib/config.ts';
import { credentials, serveNorce } from '../lib/fixture.ts';
import { round, settledHeap } from '../lib/stats.ts';

export interface ScaleRow {
  readonly callers: number;
  readonly tokenRequests: number;
  readonly failures: number;
  /** heapUsed after GC while every caller waits for the one token request, minus the baseline. */
  readonly pendingHeapBytes: number;
  readonly bytesPerWaitingCaller: number;
  /** heapUsed after GC once every caller has its token and the results are dropped. */
  readonly retainedBytes: number;
  readonly ms: number;
}

export async function runScale(log: (line: string) => void): Promise<ScaleRow[]> {
  const served = await serveNorce();
  const rows: ScaleRow[] = [];
  const url = `${served.mock.apiOrigin}/commerce/product/1.1/ListProducts`;
  try {
    // The first round (10 callers, discarded) warms up the code paths so the 10-caller row is not
    // measuring JIT and module state.
    for (const [pass, callers] of [10, ...config.scale].entries()) {
      served.mock.control.reset();
      // The token request waits at this gate until the heap of the waiting callers is measured.
      let open: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      let auth = createTokenManager(
        clientCredentials({
          tokenUrl: served.mock.tokenUrl,
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          scope: credentials.scope,
        }),
        {
          origins: [served.mock.apiOrigin],
          store: memoryStore(),
          fetch: async (input, init) => {
            await gate;
            return fetch(input, init);
          },
        },
      );
      const baseline = await settledHeap();
      const started = performance.now();
      let pending: Promise<unknown>[] | undefined = Array.from({ length: callers }, () =>
        auth.authorize(url).then(
          (a) => (a ? 0 : 1),
          () => 1,
        ),
      );
      const pendingHeap = await settledHeap();
      open();
      const outcomes = (await Promise.all(pending)) as number[];
      const ms = performance.now() - started;
      pending = undefined;
      const failures = outcomes.reduce((a, b) => a + b, 0);
      const retained = await settledHeap();
      await auth.close();
      auth = undefined as never;
      if (pass === 0) continue;
      rows.push({
        callers,
        tokenRequests: served.mock.control.counters.tokenRequests,
        failures,
        pendingHeapBytes: pendingHeap - baseline,
        bytesPerWaitingCaller: round((pendingHeap - baseline) / callers, 0),
        retainedBytes: retained - baseline,
        ms: round(ms, 1),
      });
      log(`  scale: ${callers} callers done`);
    }
  } finally {
    await served.close();
  }
  return rows;
}
