// Mutation testing of @authwire/core (`pnpm mutation`). Too slow for CI: run it by hand after changing
// core's decisions or its tests. Reports land in coverage/mutation/ (git- and biome-ignored).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // pnpm keeps the runner out of core's own node_modules, where Stryker's plugin discovery looks.
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.config.ts', dir: 'packages/core' },
  mutate: [
    'packages/core/src/**/*.ts',
    // Types and re-exports only: nothing to mutate.
    '!packages/core/src/index.ts',
    '!packages/core/src/kit.ts',
    '!packages/core/src/grants.ts',
    '!packages/core/src/dpop.ts',
    '!packages/core/src/types.ts',
    '!packages/core/src/manager-types.ts',
  ],
  // The sandbox holds only what core's tests need. It lives under coverage/ so that biome, vitest and
  // turbo runs by others in this checkout never see its instrumented copies.
  tempDirName: 'coverage/.stryker-tmp',
  ignorePatterns: [
    '/packages/*',
    '!/packages/core',
    '/packages/core/dist',
    '/examples',
    '/bench',
    '/demo',
    '/test',
    '/scripts',
    '/coverage',
    '/.tools',
    '/.turbo',
  ],
  checkers: [],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // Mutants that break a loop's exit spin until this; keep it short, a healthy test takes ms.
  timeoutMS: 3_000,
  incremental: true,
  incrementalFile: 'coverage/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'coverage/mutation/index.html' },
  jsonReporter: { fileName: 'coverage/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  thresholds: { high: 90, low: 75, break: null },
};
