// The build every published library package shares: ESM + CJS + .d.ts, checked by publint and attw.
import { defineConfig, type UserConfig } from 'tsdown';

export const library: UserConfig = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  publint: true,
  attw: { profile: 'node16' },
});
