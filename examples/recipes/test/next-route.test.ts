import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NORCE_ENV, norceTenant } from './norce-mock.ts';

// Next.js itself is not installed here: a route handler is a plain (Request) => Response function,
// and this test calls it the way Next does. The module is imported once, like one server instance.
describe('recipe: Next.js route handler with a module-level manager', () => {
  const tenant = norceTenant();
  beforeAll(() => {
    for (const [name, value] of Object.entries(NORCE_ENV)) vi.stubEnv(name, value);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    tenant.close();
  });

  it('50 concurrent requests to one instance share one token request', async () => {
    const route = await import('../src/next-route.ts');
    expect(route.dynamic).toBe('force-dynamic');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        route.GET(new Request(`http://localhost:3000/api/products?page=${i + 1}`)),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const body = (await responses[0]!.json()) as { ItemCount: number };
    expect(body.ItemCount).toBe(2);
    expect(tenant.mock.control.counters.tokenRequests).toBe(1);

    tenant.mock.control.revokeAll();
    expect((await route.GET(new Request('http://localhost:3000/api/products'))).status).toBe(200);
    expect(tenant.mock.control.counters).toMatchObject({ tokenRequests: 2, api401s: 1 });
  });
});
