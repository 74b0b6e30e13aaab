// The TokenStore suite over core's memoryStore: in-process, no lock (single-flight covers one process).
import { memoryStore } from '@authwire/core';
import { describe, expect, it } from 'vitest';
import { tokenStoreSuite } from '../src/index.ts';

tokenStoreSuite({ describe, it, expect }, () => ({ store: memoryStore() }), {
  name: 'memoryStore',
  lock: false, // memoryStore has no lock: one process needs none beyond single-flight
});
