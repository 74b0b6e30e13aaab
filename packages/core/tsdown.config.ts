import { defineConfig } from 'tsdown';
import { library } from '../../tsdown.base.ts';

// Four entries: the root (for applications), `grants` (the optional grants), `dpop` (DPoP, bundled
// only by who imports it) and `kit` (for adapter, preset and store authors).
export default defineConfig({
  ...library,
  entry: ['src/index.ts', 'src/grants.ts', 'src/dpop.ts', 'src/kit.ts'],
});
