// Spans and metrics carry no secret a custom provider's Error quotes, nor a token URL's query
// value a server quotes back: the scrubber runs before the span wrapper sees the error.
import {
  clientCredentials,
  createTokenManager,
  memoryStore,
  type TokenProvider,
} from '@authwire/core';
import { describe, expect, it } from 'vitest';
import { instrument } from '../src/index.ts';
import { TOKEN_REQUEST_SPAN } from '../src/spans.ts';
import { telemetry } from './harness.ts';

const SECRET = 'otel-app-key-8812-never-export';
const QUERY_SECRET = 'otel-gw-code-4471-never-export';

async function failOnce(provider: TokenProvider, fetch?: typeof globalThis.fetch) {
  const otel = telemetry();
  const auth = createTokenManager(provider, {
    origins: ['https://api.example.com'],
    store: memoryStore(),
    maxAttempts: 1,
    ...(fetch ? { fetch } : {}),
  });
  const stop = instrument(auth, {
    tracerProvider: otel.tracerProvider,
    meterProvider: otel.meterProvider,
  });
  await expect(auth.getToken()).rejects.toBeInstanceOf(Error);
  stop();
  await auth.close();
  const spans = otel.spans(TOKEN_REQUEST_SPAN);
  expect(spans).toHaveLength(1);
  return JSON.stringify({
    spans: spans.map((s) => ({ status: s.status, attributes: s.attributes, events: s.events })),
    metrics: await otel.collect(),
  });
}

describe('what reaches OpenTelemetry is scrubbed', () => {
  it("does keep a custom provider's declared secret out of the span status (a typed error quoting it)", async () => {
    const dump = await failOnce({
      key: 'custom-otel',
      secrets: [SECRET],
      fetchToken: async () => {
        throw Object.assign(new Error(`vault refused ${SECRET}`), { code: 'EVAULT' });
      },
    });
    expect(dump).toContain('vault refused [redacted]');
    expect(dump).not.toContain(SECRET);
  });

  it("does keep a token URL's query value out of the span status when the server quotes it", async () => {
    const fetch: typeof globalThis.fetch = async () =>
      Response.json(
        { error: 'invalid_grant', error_description: `code ${QUERY_SECRET} expired` },
        { status: 400 },
      );
    const dump = await failOnce(
      clientCredentials({
        tokenUrl: `https://id.example.com/token?code=${QUERY_SECRET}`,
        clientId: 'id',
        clientSecret: SECRET,
      }),
      fetch,
    );
    expect(dump).toContain('invalid_grant');
    expect(dump).not.toContain(QUERY_SECRET);
    expect(dump).not.toContain(SECRET);
  });
});
