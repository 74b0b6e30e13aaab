// Bundles the callgrind worker into one plain .mjs: under valgrind, stripping TypeScript and
// resolving hundreds of modules would cost more than the requests being counted.
import { mkdir } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

/** Bundles the worker for one client family (with DPoP proofs: `dpop`); returns the file's path. */
export async function bundleCallgrindWorker(family: string, dpop = false): Promise<string> {
  const dir = fileURLToPath(new URL('../results/.callgrind/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const bundle = await rolldown({
    input: fileURLToPath(new URL('../callgrind-worker.ts', import.meta.url)),
    platform: 'node',
    resolve: { conditionNames: ['@authwire/source', 'node', 'import', 'default'] },
    external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
    transform: {
      define: {
        'process.env.CALLGRIND_FAMILY': JSON.stringify(family),
        'process.env.CALLGRIND_DPOP': JSON.stringify(dpop ? '1' : '0'),
      },
    },
    logLevel: 'silent',
  });
  const file = `${dir}worker-${family}${dpop ? '-dpop' : ''}.mjs`;
  await bundle.write({ file, format: 'esm', codeSplitting: false });
  await bundle.close();
  return file;
}
