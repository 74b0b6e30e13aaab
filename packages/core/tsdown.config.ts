import { defineConfig } from 'tsdown';
import { library } from '../../tsdown.base.ts';

// Two entries: the root (for applications) and `kit` (for adapter, preset and store authors).
export default defineConfig({ ...library, entry: ['src/index.ts', 'src/kit.ts'] });
