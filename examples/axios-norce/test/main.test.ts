import { NORCE_MOCK_DEFAULTS, norceMock } from '@authwire/msw';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';

describe('examples/axios-norce', () => {
  it('runs against the embedded mock when no credentials are set', async () => {
    const lines: string[] = [];
    const result = await main({ env: {}, log: (line) => lines.push(line) });
    expect(result.application).toEqual({ ApplicationId: 1234, Name: 'demo' });
    expect(result.products.map((p) => p.PartNo)).toEqual(['AW-1', 'AW-2']);
    expect(result.tokenRequests).toBe(1);
    expect(lines[0]).toMatch(/Embedded Norce mock/);
  });

  it('uses the NORCE_* variables when they are set', async () => {
    // Stands in for the real tenant acme.api-se.stage.norce.tech.
    const tenant = norceMock({
      clientName: 'acme',
      environment: 'stage',
      clientId: 'id',
      clientSecret: 's3cret',
    });
    const server = setupServer(...tenant.handlers);
    server.listen({ onUnhandledFrame: 'error' });
    try {
      const lines: string[] = [];
      const env = {
        NORCE_CLIENT_ID: 'id',
        NORCE_CLIENT_SECRET: 's3cret',
        NORCE_APPLICATION_ID: '42',
        NORCE_CLIENT_NAME: 'acme',
        NORCE_ENVIRONMENT: 'stage',
      };
      const result = await main({ env, log: (line) => lines.push(line) });
      expect(result.application.ApplicationId).toBe(42);
      expect(tenant.control.counters.tokenRequests).toBe(1);
      expect(lines.join('\n')).not.toContain('s3cret');
    } finally {
      server.close();
    }
  });

  it('names the missing variables when credentials are half configured', async () => {
    await expect(
      main({ env: { NORCE_CLIENT_ID: NORCE_MOCK_DEFAULTS.clientId }, log: () => {} }),
    ).rejects.toThrow(
      'Missing environment variables: NORCE_CLIENT_SECRET, NORCE_APPLICATION_ID, NORCE_CLIENT_NAME',
    );
  });
});
