// The Worker that test/runtime/workerd/run.mjs bundles from the BUILT packages (esbuild, platform
// neutral, conditions worker/browser/import) and runs in workerd. Managers live at module scope, as
// the core README tells Worker users; each route is one case the driver checks from outside.

import { waitUntil } from 'cloudflare:workers';
import {
  authFetch,
  clientCredentials,
  createTokenManager,
  isAuthwireError,
  memoryStore,
} from '@authwire/core';
import { systemClock } from '@authwire/core/kit';
import { withAuth as kyAuth } from '@authwire/ky';
import { norce } from '@authwire/norce';
import { withAuth as openapiAuth } from '@authwire/openapi-fetch';
import { oracleCommerce } from '@authwire/oracle-commerce';
import ky from 'ky';
import createClient from 'openapi-fetch';

const SECRET = 'workerd-client-secret-7c1e';

/** Unhandled rejections seen by this isolate (the driver also reads workerd's own log). */
const unhandled = [];
globalThis.addEventListener('unhandledrejection', (event) => {
  unhandled.push(String(event.reason?.stack ?? event.reason));
});

/** Per client, a clock the driver can move forward, to reach a refresh window without waiting. */
const offsets = new Map();
const clockFor = (clientId) => ({
  ...systemClock,
  now: () => Date.now() + (offsets.get(clientId) ?? 0),
});

/** One manager per client id, made on first use at module scope and kept for the isolate. */
const managers = new Map();
/**
 * Bounds small enough that a load outliving them is seen in a test: with these, the longest a live
 * load takes (core's loadBoundMs) is 4.4 s.
 */
const SHORT_BOUNDS = {
  requestTimeoutMs: 600,
  lockTtlMs: 100,
  maxAttempts: 1,
  maxRetryAfterMs: 0,
  retryMaxDelayMs: 0,
};

function manager(env, clientId, options = clientId.startsWith('short-') ? SHORT_BOUNDS : {}) {
  let auth = managers.get(clientId);
  if (!auth) {
    auth = createTokenManager(
      clientCredentials({ tokenUrl: `${env.ORIGIN}/token`, clientId, clientSecret: SECRET }),
      {
        origins: [env.ORIGIN],
        store: memoryStore(),
        clock: clockFor(clientId),
        refreshWindowMs: 120_000,
        ...options,
      },
    );
    managers.set(clientId, auth);
  }
  return auth;
}

let norceAuth;
function norceManager(env) {
  norceAuth ??= norce({
    clientId: 'workerd-client',
    clientSecret: SECRET,
    applicationId: 1234,
    environment: 'playground',
    baseUrl: env.NORCE_ORIGIN,
    tokenUrl: env.NORCE_TOKEN_URL,
  });
  return norceAuth;
}

let oracle;
function oracleManager(env) {
  oracle ??= oracleCommerce({ baseUrl: env.ORACLE_ORIGIN, applicationKey: env.ORACLE_APP_KEY });
  return oracle;
}

/** What a case answers: JSON, with a typed error's name and code when one was thrown. */
function reply(body, status = 200) {
  return Response.json(body, { status });
}
function failure(error) {
  return reply(
    {
      ok: false,
      typed: isAuthwireError(error),
      name: error?.name,
      code: error?.code,
      message: String(error?.message ?? error),
    },
    500,
  );
}

async function tokenOf(response) {
  const body = await response.json();
  return { status: response.status, token: body.token ?? null, body: body.body ?? null };
}

const routes = {
  /** `n` concurrent sub-requests through authFetch; each reports the token the API saw. */
  async authfetch(env, url) {
    const send = authFetch(manager(env, url.searchParams.get('client') ?? 'herd'));
    const n = Number(url.searchParams.get('n') ?? 1);
    const seen = await Promise.all(
      Array.from({ length: n }, () => send(`${env.ORIGIN}/api/data`).then(tokenOf)),
    );
    return reply({ ok: true, seen });
  },

  /** ky: a GET, then a POST with a body (the driver revokes in between to make it heal). */
  async ky(env, url) {
    const api = kyAuth(ky.create({ retry: 0 }), manager(env, 'ky'));
    const method = url.searchParams.get('method') ?? 'get';
    const body =
      method === 'post'
        ? await api.post(`${env.ORIGIN}/api/data`, { body: 'ky-payload' }).json()
        : await api.get(`${env.ORIGIN}/api/data`).json();
    return reply({ ok: true, token: body.token, body: body.body ?? null });
  },

  /** openapi-fetch: its 401 retry calls the client's fetch (workerd checks `this`). */
  async openapi(env, url) {
    const client = openapiAuth(createClient({ baseUrl: env.ORIGIN }), manager(env, 'openapi'));
    const { data, response } =
      url.searchParams.get('method') === 'post'
        ? await client.POST('/api/data', { body: { n: 1 } })
        : await client.GET('/api/data');
    return reply({ ok: response.status === 200, status: response.status, ...data });
  },

  /** The Oracle Commerce preset against @authwire/msw's mock, served on loopback by the driver. */
  async oracle(env) {
    const auth = oracleManager(env);
    const response = await authFetch(auth)(`${env.ORACLE_ORIGIN}/__authwire/echo`);
    return reply({ ok: response.status === 200, status: response.status });
  },

  /** The Norce preset (ApplicationId header) against @authwire/msw's mock, through ky. */
  async norce(env) {
    const auth = norceManager(env);
    const response = await kyAuth(ky.create({ retry: 0, throwHttpErrors: false }), auth).get(
      `${env.NORCE_ORIGIN}/__authwire/echo`,
    );
    return reply({ ok: response.status === 200, status: response.status });
  },

  /** Another origin gets nothing: authFetch and ky send it no Authorization. */
  async foreign(env) {
    const auth = manager(env, 'herd');
    const viaFetch = await (await authFetch(auth)(`${env.OTHER_ORIGIN}/echo`)).json();
    const viaKy = await kyAuth(ky.create({ retry: 0 }), auth)
      .get(`${env.OTHER_ORIGIN}/echo`)
      .json();
    return reply({ ok: true, authorization: [viaFetch.authorization, viaKy.authorization] });
  },

  /** Gives up on the token after `timeoutMs` and returns, abandoning the load it started. */
  async impatient(env, url) {
    const auth = manager(env, url.searchParams.get('client'));
    const timeoutMs = Number(url.searchParams.get('timeoutMs'));
    try {
      await auth.getToken({ timeoutMs });
      return reply({ ok: true, gaveUp: false });
    } catch (error) {
      return reply({ ok: isAuthwireError(error), gaveUp: true, code: error?.code });
    }
  },

  /** Waits for a token however long it takes (joins whatever load is in flight). */
  async patient(env, url) {
    const auth = manager(env, url.searchParams.get('client'));
    const token = await auth.getToken();
    const response = await fetch(`${env.ORIGIN}/api/data`, {
      headers: { Authorization: `Bearer ${token.accessToken}` },
    });
    return reply({ ok: response.status === 200, token: token.accessToken });
  },

  /** Returns the cached token at once (a refresh-ahead may start and outlive this request). */
  async cached(env, url) {
    const client = url.searchParams.get('client');
    const auth = manager(env, client, client.endsWith('-kept') ? { waitUntil } : {});
    const token = await auth.getToken();
    return reply({ ok: true, token: token.accessToken });
  },

  /** Moves one client's clock forward. */
  async shift(_env, url) {
    const client = url.searchParams.get('client');
    offsets.set(client, (offsets.get(client) ?? 0) + Number(url.searchParams.get('ms')));
    return reply({ ok: true, offsetMs: offsets.get(client) });
  },

  async unhandled() {
    return reply({ ok: true, unhandled });
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const route = routes[url.pathname.slice(1)];
    if (!route) return reply({ ok: false, message: `no route ${url.pathname}` }, 404);
    try {
      return await route(env, url);
    } catch (error) {
      return failure(error);
    }
  },
};
