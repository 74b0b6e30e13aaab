import { defineConfig } from 'tsdown';
import { library } from '../../tsdown.base.ts';

// Node-only, like undici itself (node:async_hooks marks the managers' own token requests).
export default defineConfig({
  ...library,
  platform: 'node',
  // package.json is "type": "module", so plain .js / .cjs (tsdown defaults to .mjs on node).
  fixedExtension: false,
});
