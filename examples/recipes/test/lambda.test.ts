import { randomBytes, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NORCE_ENV, norceTenant } from './norce-mock.ts';

const redisUrl = process.env.AUTHWIRE_REDIS_URL;

/** The parts of an API Gateway HTTP API event the handler reads. */
const event = (page: number) =>
  ({ queryStringParameters: { page: String(page) } }) as unknown as APIGatewayProxyEventV2;

// Like the Redis package's integration tests: skipped only on a machine without Redis (with the
// one notice the test run prints), a failure in CI.
describe.skipIf(redisUrl === undefined && !process.env.CI)(
  'recipe: AWS Lambda handler with a module-level manager and the Redis store',
  () => {
    const tenant = norceTenant();
    beforeAll(() => {
      for (const [name, value] of Object.entries(NORCE_ENV)) vi.stubEnv(name, value);
      vi.stubEnv('REDIS_URL', redisUrl ?? 'redis://127.0.0.1:6379');
      vi.stubEnv('TOKEN_KEY', randomBytes(32).toString('base64'));
      vi.stubEnv('APP_NAME', `recipe-${randomUUID()}`);
    });
    afterAll(() => {
      vi.unstubAllEnvs();
      tenant.close();
    });

    it('two warm instances × 30 concurrent invocations: one token request in total, through Redis', async () => {
      const first = await import('../src/lambda.ts');
      vi.resetModules(); // a second instance: its own module scope, Redis client and manager
      const second = await import('../src/lambda.ts');
      expect(second.handler).not.toBe(first.handler);
      try {
        const results = await Promise.all(
          Array.from({ length: 60 }, (_, i) => (i % 2 ? first : second).handler(event(i + 1))),
        );
        for (const result of results) {
          expect(result).toMatchObject({ statusCode: 200 });
        }
        const body = JSON.parse((results[0] as { body: string }).body) as { ItemCount: number };
        expect(body.ItemCount).toBe(2);
        expect(tenant.mock.control.counters.tokenRequests).toBe(1);
      } finally {
        await first.closeInstance();
        await second.closeInstance();
      }
    });
  },
);
