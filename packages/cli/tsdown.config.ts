import { defineConfig } from 'tsdown';

// ESM only: a command-line tool has no CommonJS consumers.
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: true,
  platform: 'node',
  fixedExtension: false,
  publint: true,
});
