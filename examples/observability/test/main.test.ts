import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.ts';

describe('examples/observability', () => {
  it('prints the token-request spans and authwire metrics through the console exporters', async () => {
    const printed: unknown[] = [];
    // The SDK's console exporters print each span and metric with console.dir.
    const dir = vi.spyOn(console, 'dir').mockImplementation((value) => {
      printed.push(value);
    });
    const lines: string[] = [];
    let result: Awaited<ReturnType<typeof main>>;
    try {
      result = await main({ log: (line) => lines.push(line) });
    } finally {
      dir.mockRestore();
    }

    // 1 cold start + 1 heal + (503, then success) while healing the second revocation.
    expect(result.tokenRequests).toBe(4);
    expect(result.api401s).toBe(6);
    expect(result.trees.map((line) => line.replace(/ {2}\(\d+ ms\)$/, ''))).toEqual([
      'GET /products',
      '  authwire.token.request reason=initial attempt=1 outcome=success',
      '    POST /identity/1.0/connect/token → 200',
      '  GET /commerce/product/1.1/ListProducts → 200',
      'GET /products',
      '  GET /commerce/product/1.1/ListProducts → 401',
      '  authwire.token.request reason=unauthorized attempt=1 outcome=success',
      '    POST /identity/1.0/connect/token → 200',
      '  GET /commerce/product/1.1/ListProducts → 200',
      'GET /products',
      '  GET /commerce/product/1.1/ListProducts → 401',
      '  authwire.token.request reason=unauthorized attempt=1 outcome=failure type=token_request_failed status=503',
      '    POST /identity/1.0/connect/token → 503',
      '  authwire.token.request reason=unauthorized attempt=2 outcome=success',
      '    POST /identity/1.0/connect/token → 200',
      '  GET /commerce/product/1.1/ListProducts → 200',
    ]);

    const spans = printed.filter((value): value is { name: string; attributes: object } =>
      Object.hasOwn(value as object, 'traceId'),
    );
    expect(spans.filter((span) => span.name === 'authwire.token.request')).toHaveLength(4);
    const metrics = new Map(
      printed
        .filter((value) => Object.hasOwn(value as object, 'descriptor'))
        .map((value) => {
          const metric = value as {
            descriptor: { name: string };
            dataPoints: { value: unknown }[];
          };
          return [metric.descriptor.name, metric.dataPoints] as const;
        }),
    );
    const total = (name: string) =>
      (metrics.get(name) ?? []).reduce((sum, point) => sum + (point.value as number), 0);
    expect(total('authwire.token.requests')).toBe(4);
    expect(total('authwire.unauthorized.healed')).toBe(6);
    expect(metrics.get('authwire.token.time_to_expiry')).toHaveLength(1);
    expect(metrics.has('http.client.request.duration')).toBe(true);

    const everything = inspect(printed, { depth: null }) + lines.join('\n');
    expect(everything).not.toContain('demo-s3cret');
    expect(result.accessTokens).toHaveLength(4 - 1); // the 503 issued none
    for (const accessToken of result.accessTokens) expect(everything).not.toContain(accessToken);
  });
});
