// One MSW server per test file: handlers swapped per test, unhandled requests fail the test.
import type { HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** Starts one MSW server for the file (`onUnhandledFrame: 'error'`, the MSW 3 option name). */
export function useMsw(): { use(...handlers: HttpHandler[]): void } {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return { use: (...handlers) => server.resetHandlers(...handlers) };
}
