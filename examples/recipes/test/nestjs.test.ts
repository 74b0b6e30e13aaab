import 'reflect-metadata';
import type { NorceTokenManager } from '@authwire/norce';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CatalogModule, CatalogService, NORCE_AUTH } from '../src/nestjs.ts';
import { NORCE_ENV, norceTenant } from './norce-mock.ts';

describe('recipe: NestJS HttpModule (httpService.axiosRef)', () => {
  const tenant = norceTenant();
  beforeAll(() => {
    for (const [name, value] of Object.entries(NORCE_ENV)) vi.stubEnv(name, value);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    tenant.close();
  });

  it('100 concurrent HttpService calls make one token request; a revoked token is healed once; close() ends the manager', async () => {
    const app = await NestFactory.createApplicationContext(CatalogModule, { logger: false });
    app.enableShutdownHooks();
    const catalog = app.get(CatalogService);
    const auth = app.get<NorceTokenManager>(NORCE_AUTH);

    const applications = await Promise.all(
      Array.from({ length: 100 }, () => catalog.application()),
    );
    expect(new Set(applications.map((a) => a.Name))).toEqual(new Set(['acme']));
    expect(tenant.mock.control.counters.tokenRequests).toBe(1);

    tenant.mock.control.revokeAll();
    await catalog.application();
    expect(tenant.mock.control.counters).toMatchObject({ tokenRequests: 2, api401s: 1 });

    await app.close();
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'closed' });
  });
});
