import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Running } from '../src/main.ts';

describe('examples/got-norce', () => {
  let service: Running;
  beforeAll(async () => {
    service = await main({ env: {}, log: () => {}, port: 0 });
  });
  afterAll(() => service.close());

  it('serves Norce products, one token request for 25 concurrent calls', async () => {
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => fetch(`${service.url}/products`).then((r) => r.json())),
    );
    for (const answer of answers) {
      expect(answer).toEqual({
        products: [
          { Id: 1, PartNo: 'AW-1', Name: 'Token' },
          { Id: 2, PartNo: 'AW-2', Name: 'Refresh' },
        ],
      });
    }
    expect(service.tokenRequests()).toBe(1);
  });

  it('answers its own routes without Norce', async () => {
    expect(await fetch(`${service.url}/health`).then((r) => r.json())).toEqual({ ok: true });
    expect((await fetch(`${service.url}/nope`)).status).toBe(404);
  });
});
