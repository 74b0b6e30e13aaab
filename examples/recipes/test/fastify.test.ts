import { describe, expect, it } from 'vitest';
import { buildServer } from '../src/fastify.ts';
import { norceEnv } from '../src/norce-env.ts';
import { NORCE_ENV, norceTenant } from './norce-mock.ts';

describe('recipe: Fastify service calling Norce with got', () => {
  it('40 concurrent requests make one token request; app.close() closes the manager', async () => {
    const tenant = norceTenant();
    const app = buildServer(norceEnv(NORCE_ENV));
    try {
      const responses = await Promise.all(
        Array.from({ length: 40 }, () => app.inject({ method: 'GET', url: '/products' })),
      );
      expect(responses.map((r) => r.statusCode)).toEqual(Array(40).fill(200));
      expect(responses[0]!.json()).toEqual({ count: 2, partNos: ['AW-1', 'AW-2'] });
      expect(tenant.mock.control.counters.tokenRequests).toBe(1);

      tenant.mock.control.revokeAll();
      expect((await app.inject({ method: 'GET', url: '/products' })).statusCode).toBe(200);
      expect(tenant.mock.control.counters).toMatchObject({ tokenRequests: 2, api401s: 1 });
    } finally {
      await app.close();
      tenant.close();
    }
    // Closed with the server: a request after close() cannot start a token request.
    expect(tenant.mock.control.counters.tokenRequests).toBe(2);
  });
});
