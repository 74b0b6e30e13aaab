// `pnpm demo`: every adapter against the embedded Norce and Oracle mocks; exits 1 on a regression.
import { printReport, progressReporter } from './src/report.ts';
import { runDemo } from './src/run-demo.ts';

const out = process.stdout;
out.write(
  'authwire demo: axios, ky, got and openapi-fetch against mock Norce and Oracle Commerce\n' +
    'servers running in this process (MSW). No credentials, no network.\n\n',
);

const progress = progressReporter(out);
const started = performance.now();
let passed = false;
try {
  const results = await runDemo({ onProgress: progress.onProgress });
  progress.stop();
  passed = printReport(out, results, performance.now() - started);
} catch (error) {
  progress.stop();
  console.error(error);
}

if (passed) {
  out.write(
    '\nNext: examples/ has one runnable app per client (README › Examples); `pnpm test` runs everything.\n',
  );
}
process.exitCode = passed ? 0 : 1;
