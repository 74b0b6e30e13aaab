import { readFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';

describe('examples/openapi-fetch-typed', () => {
  it('calls Norce and Oracle through typed clients against the embedded mocks', async () => {
    const lines: string[] = [];
    const result = await main({ env: {}, log: (line) => lines.push(line) });
    expect(result.application.ApplicationId).toBe(1234);
    expect(result.products.map((p) => p.PartNo)).toEqual(['AW-1', 'AW-2']);
    expect(result.orders.map((o) => o.id)).toEqual(['o10001', 'o10002']);
    // Two concurrent Norce calls, one token request; one Oracle login.
    expect(result.tokenRequests).toEqual({ norce: 1, oracle: 1 });
    expect(lines.at(-1)).toBe('Oracle: o10001 42 USD, o10002 7.5 USD');
  });

  it.each(['norce', 'oracle'])(
    'commits types generated from openapi/%s.yaml (run `pnpm generate`)',
    async (name) => {
      const document = new URL(`../openapi/${name}.yaml`, import.meta.url);
      const generated = astToString(await openapiTS(document));
      const committed = await readFile(
        new URL(`../src/generated/${name}.gen.ts`, import.meta.url),
        'utf8',
      );
      // The CLI adds a banner above what the API returns.
      expect(committed.endsWith(generated)).toBe(true);
    },
  );
});
