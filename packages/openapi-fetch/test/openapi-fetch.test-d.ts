import type { TokenManager } from '@authwire/core';
import createClient, { type Client } from 'openapi-fetch';
import { expectTypeOf, it } from 'vitest';
import { withAuth } from '../src/index.ts';
import type { paths } from './paths.ts';

declare const auth: TokenManager;

it('keeps the client type, paths and response types included', () => {
  const client = withAuth(createClient<paths>({ baseUrl: 'https://api.example.com' }), auth);
  expectTypeOf(client).toEqualTypeOf<Client<paths>>();
  const call = () => client.GET('/orders/{id}', { params: { path: { id: 1 } } });
  type Result = Awaited<ReturnType<typeof call>>;
  expectTypeOf<Result['data']>().toEqualTypeOf<{ id: number; note: string } | undefined>();
  expectTypeOf<Result['error']>().toEqualTypeOf<{ message: string } | undefined>();
  // @ts-expect-error unknown path
  client.GET('/nope');
  // @ts-expect-error path parameters stay required
  client.GET('/orders/{id}', {});
  client.GET('/orders/{id}', { params: { path: { id: 1 } }, authwire: false });
});
