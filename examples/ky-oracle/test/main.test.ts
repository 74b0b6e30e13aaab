import { oracleCommerceMock } from '@authwire/msw';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';

describe('examples/ky-oracle', () => {
  it('lists orders from the embedded mock and heals a revoked token', async () => {
    const lines: string[] = [];
    const { orders, again } = await main({ env: {}, log: (line) => lines.push(line) });
    expect(orders.items.map((o) => o.id)).toEqual(['o10001', 'o10002']);
    expect(again.items).toHaveLength(2);
    expect(lines.at(-1)).toBe('After a revoked token: 2 orders, 1 × 401 healed, 2 logins in all');
  });

  it('uses OCC_BASE_URL and OCC_APPLICATION_KEY when they are set, and logs out on close', async () => {
    const instance = oracleCommerceMock({ baseUrl: 'https://ccadmin-test.example.com' });
    const server = setupServer(...instance.handlers);
    server.listen({ onUnhandledFrame: 'error' });
    try {
      const lines: string[] = [];
      const applicationKey = instance.applicationKeys[0]!;
      const env = { OCC_BASE_URL: instance.apiOrigin, OCC_APPLICATION_KEY: applicationKey };
      const { orders } = await main({ env, log: (line) => lines.push(line) });
      expect(orders.total).toBe(2);
      expect(instance.control.counters).toMatchObject({ logins: 1, logouts: 1 });
      expect(lines.join('\n')).not.toContain(applicationKey);
    } finally {
      server.close();
    }
  });

  it('names the missing variable', async () => {
    await expect(
      main({ env: { OCC_BASE_URL: 'https://x.example.com' }, log: () => {} }),
    ).rejects.toThrow('Missing environment variables: OCC_APPLICATION_KEY');
  });
});
