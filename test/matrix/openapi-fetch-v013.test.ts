// Matrix: @authwire/openapi-fetch on the oldest supported openapi-fetch (0.13) — same scenarios as test/conformance.
import { withAuth } from '@authwire/openapi-fetch';
import createClient from 'openapi-fetch-v013';
import { adapterConformance, type DriverOptions, type DriverResult } from '../conformance/suite.ts';

// biome-ignore lint/suspicious/noExplicitAny: the suite calls arbitrary absolute URLs.
type AnyPaths = any;
// The adapter is typed against the newest openapi-fetch's Middleware.
type Client = Parameters<typeof withAuth>[0];

const initOf = (options: DriverOptions = {}) => ({
  ...(options.signal || options.timeoutMs
    ? {
        signal: AbortSignal.any([
          ...(options.signal ? [options.signal] : []),
          ...(options.timeoutMs ? [AbortSignal.timeout(options.timeoutMs)] : []),
        ]),
      }
    : {}),
  ...(options.skipAuth ? { authwire: false } : {}),
});

const bodyOf = (body: unknown) =>
  body?.constructor === Object
    ? { body }
    : { body, bodySerializer: (raw: unknown) => raw, duplex: 'half' as const };

adapterConformance(
  'openapi-fetch 0.13',
  (auth) => {
    // Created per test, after MSW listens: createClient captures globalThis.fetch.
    const base = createClient<AnyPaths>();
    const client = withAuth(base as unknown as Client, auth) as unknown as typeof base;
    const settle = async (
      call: Promise<{ response: Response; data?: unknown; error?: unknown }>,
    ): Promise<DriverResult> => {
      const { response, data, error } = await call;
      return { status: response.status, body: response.ok ? data : error };
    };
    return {
      get: (url, options) => settle(client.GET(url, initOf(options))),
      post: (url, body, options) =>
        settle(client.POST(url, { ...bodyOf(body), ...initOf(options) })),
    };
  },
  { replaysStreamBodies: true },
);
