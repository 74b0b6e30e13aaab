// The TokenStore suite over core's memoryStore: in-process, no lock (single-flight covers one process),
// once on real time and once on an injected clock (`memoryStore({ clock })`).
import { memoryStore } from '@authwire/core';
import { describe, expect, it } from 'vitest';
import { tokenStoreSuite } from '../src/index.ts';

tokenStoreSuite({ describe, it, expect }, () => ({ store: memoryStore() }), {
  name: 'memoryStore on real time',
  lock: false, // memoryStore has no lock: one process needs none beyond single-flight
});

tokenStoreSuite(
  { describe, it, expect },
  () => {
    let now = Date.UTC(2026, 0, 1);
    return {
      store: memoryStore({ clock: { now: () => now } }),
      advance: (ms: number) => {
        now += ms;
      },
    };
  },
  { name: 'memoryStore on an injected clock', lock: false }, // no lock, as above
);
