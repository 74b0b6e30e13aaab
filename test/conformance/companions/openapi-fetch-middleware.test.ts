// @authwire/openapi-fetch beside a second middleware (request id + response log), registered before
// and after withAuth: the heal composes with it, and what the middleware sees depends on the order.
import { withAuth } from '@authwire/openapi-fetch';
import createClient, { type Middleware } from 'openapi-fetch';
import { type AnyPaths, openapiFetchDriver } from '../../drivers/openapi-fetch.ts';
import {
  type CompanionDriver,
  companionScenarios,
  companionServer,
  type Outcome,
  type ScenarioName,
} from './scenarios.ts';

const server = companionServer();

interface Seen {
  /** onRequest calls: one per call through the client (the heal's retry skips the chain). */
  requests: number;
  /** The statuses onResponse saw, in order. */
  responses: number[];
}

function logging(seen: Seen): Middleware {
  return {
    onRequest({ request }) {
      seen.requests += 1;
      request.headers.set('x-request-id', String(seen.requests));
      return request;
    },
    onResponse({ response }) {
      seen.responses.push(response.status);
      return undefined;
    },
  };
}

function client(order: 'before' | 'after') {
  return (auth: Parameters<typeof withAuth>[1]): CompanionDriver => {
    const seen: Seen = { requests: 0, responses: [] };
    const api = createClient<AnyPaths>();
    if (order === 'before') api.use(logging(seen));
    withAuth(api, auth);
    if (order === 'after') api.use(logging(seen));
    return { ...openapiFetchDriver(api), seen: () => seen };
  };
}

const HERD = 50;
/**
 * No retry plugin: a 503 reaches the caller after one call; a 401 is healed once. onResponse runs
 * in reverse order of `use`: registered before withAuth, the middleware sees the healed answer;
 * after, it sees the 401 the heal then replaces.
 */
function outcomes(order: 'before' | 'after'): Record<ScenarioName, Outcome> {
  const seen = (first: number, final: number, requests = 1) => ({
    requests,
    responses: [order === 'before' ? final : first],
  });
  return {
    'one 401': { status: 200, api: [401, 200], tokenRequests: 2, seen: seen(401, 200) },
    'a persistent 401': { status: 401, api: [401, 401], tokenRequests: 2, seen: seen(401, 401) },
    'two 503s': { status: 503, api: [503], tokenRequests: 1, seen: seen(503, 503) },
    'a persistent 503': { status: 503, api: [503], tokenRequests: 1, seen: seen(503, 503) },
    '503 then 401': { status: 503, api: [503], tokenRequests: 1, seen: seen(503, 503) },
    '401 then 503': { status: 503, api: [401, 503], tokenRequests: 2, seen: seen(401, 503) },
    'a 401 herd': {
      status: 200,
      api: [200, ...Array(HERD).fill(401), ...Array(HERD).fill(200)],
      tokenRequests: 2,
      seen: {
        requests: 1 + HERD,
        responses: [200, ...Array(HERD).fill(order === 'before' ? 200 : 401)],
      },
    },
  };
}

companionScenarios(
  server,
  'a logging middleware used before withAuth',
  client('before'),
  outcomes('before'),
);
companionScenarios(
  server,
  'a logging middleware used after withAuth',
  client('after'),
  outcomes('after'),
);
