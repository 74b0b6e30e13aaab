// The service: each incoming request is a SERVER span; its Norce calls go through authFetch.
import { authFetch } from '@authwire/core';
import type { NorceTokenManager } from '@authwire/norce';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

export interface Product {
  readonly Id: number;
  readonly PartNo: string;
  readonly Name: string;
}

const tracer = trace.getTracer('example-service');

/** What a request handler does: list the products from Norce (a token is attached and healed). */
export function productService(auth: NorceTokenManager) {
  const fetchWithAuth = authFetch(auth);
  const listProducts = async (): Promise<Product[]> => {
    const response = await fetchWithAuth(
      `${auth.baseUrl}/commerce/product/1.1/ListProducts?format=json`,
      { headers: { accept: 'application/json' } },
    );
    if (!response.ok) throw new Error(`ListProducts answered ${response.status}`);
    return ((await response.json()) as { Items: Product[] }).Items;
  };
  /** Stands in for the HTTP server instrumentation: one active SERVER span per request. */
  const handle = (route: string): Promise<Product[]> =>
    tracer.startActiveSpan(`GET ${route}`, { kind: SpanKind.SERVER }, async (span) => {
      try {
        return await listProducts();
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
  return { handle };
}
