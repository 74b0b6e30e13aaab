import { defineConfig } from 'tsdown';

// ESM-only like msw itself (msw 3 ships no CommonJS), Node-only (serveMock uses node:http).
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  platform: 'node',
  // package.json is "type": "module", so plain .js / .d.ts (tsdown defaults to .mjs on node).
  fixedExtension: false,
  publint: true,
  attw: { profile: 'esm-only' },
});
