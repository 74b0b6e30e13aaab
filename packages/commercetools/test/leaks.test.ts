// A token endpoint that quotes the HTTP Basic credentials back: neither the secret nor its base64
// form reaches an error, an event or the manager's inspect output.
import { inspect } from 'node:util';
import { memoryStore, TokenEndpointError, type TokenEvent } from '@authwire/core';
import { json, stubFetch } from '@authwire/test-support';
import { describe, expect, it } from 'vitest';
import { commercetools } from '../src/index.ts';

const SECRET = 'ct-Secret-Quoted-123';

describe('HTTP Basic credentials quoted by the token endpoint', () => {
  it('are scrubbed from the error and the events', async () => {
    let basic = '';
    const stub = stubFetch((request) => {
      basic = request.headers.get('authorization') ?? '';
      return json(
        {
          statusCode: 401,
          message: `bad client ${basic} (${SECRET})`,
          errors: [{ code: 'invalid_client', message: basic }],
          error: 'invalid_client',
          error_description: `${basic} ${SECRET}`,
        },
        401,
      );
    });
    const events: TokenEvent[] = [];
    const auth = commercetools({
      clientId: 'client-a',
      clientSecret: SECRET,
      projectKey: 'acme',
      region: 'us-central1.gcp',
      store: memoryStore(),
      fetch: stub.fetch,
      onEvent: (event) => events.push(event),
    });
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(basic).toMatch(/^Basic /);
    const encoded = basic.slice('Basic '.length);
    const seen = [
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 5 }),
      JSON.stringify(events),
      inspect(events, { depth: 5 }),
      inspect(auth, { depth: 5, showHidden: false }),
    ].join('\n');
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain(encoded);
    await auth.close();
  });
});
