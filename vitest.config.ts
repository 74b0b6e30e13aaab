import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their src/ through the custom export condition,
// so tests never need a build.
export default defineConfig({
  resolve: { conditions: ['@authwire/source'] },
  ssr: { resolve: { conditions: ['@authwire/source'] } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'demo/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
    ],
    // The JSON report lets .ci/run print one plain closing line with the totals.
    reporters: ['default', ['json', { outputFile: 'coverage/vitest-report.json' }]],
    // One notice per run when the Redis integration tests skip (not one per test file).
    globalSetup: ['test/redis-notice.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
