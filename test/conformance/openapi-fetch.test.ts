// Conformance: @authwire/openapi-fetch on openapi-fetch 0.17 (untyped paths: the suite's URLs are absolute).
import { withAuth } from '@authwire/openapi-fetch';
import createClient from 'openapi-fetch';
import { adapterConformance, type DriverOptions, type DriverResult } from './suite.ts';

// biome-ignore lint/suspicious/noExplicitAny: the suite calls arbitrary absolute URLs.
type AnyPaths = any;

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
  'openapi-fetch',
  (auth) => {
    // Created per test, after MSW listens: createClient captures globalThis.fetch.
    const client = withAuth(createClient<AnyPaths>(), auth);
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
