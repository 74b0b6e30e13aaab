// vitest globalSetup: says once per run, not once per test file, that the Redis integration tests
// skip without AUTHWIRE_REDIS_URL (in CI a missing Redis fails them instead).

/** Prints the notice when the Redis tests will skip. */
export function setup(): void {
  if (process.env.AUTHWIRE_REDIS_URL === undefined && !process.env.CI) {
    console.warn(
      '[redis] AUTHWIRE_REDIS_URL is not set: skipping the Redis integration tests ' +
        '(@authwire/redis, examples/recipes). Start a redis-server and export ' +
        'AUTHWIRE_REDIS_URL=redis://127.0.0.1:PORT (CI does).',
    );
  }
}
