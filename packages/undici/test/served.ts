// Test set-up: the platform mocks served on loopback (an interceptor sits below fetch, where in-process MSW never looks).
import { memoryStore, type TokenEvent, type TokenManager } from '@authwire/core';
import {
  type EchoResponse,
  NORCE_MOCK_DEFAULTS,
  type NorceMock,
  norceMock,
  type OracleCommerceMock,
  oracleCommerceMock,
  type ServedMock,
  serveMock,
} from '@authwire/msw';
import { norce } from '@authwire/norce';
import { oracleCommerce } from '@authwire/oracle-commerce';
import { HttpResponse, http } from 'msw';
import { afterEach } from 'vitest';

export type { EchoResponse };

export interface Served {
  readonly auth: TokenManager;
  readonly mock: NorceMock | OracleCommerceMock;
  readonly events: TokenEvent[];
  /** A protected GET endpoint. */
  readonly apiUrl: string;
  readonly echoUrl: string;
  readonly origin: string;
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

function track<T extends { close(): Promise<void> }>(item: T): T {
  open.push(item);
  return item;
}

/** The Norce mock on loopback and a norce() manager for it (token endpoint on the API origin). */
export async function servedNorce(redirectTo = 'http://127.0.0.1:9/probe'): Promise<Served> {
  const served = track(
    await serveMock((baseUrl) => {
      const mock = norceMock({ baseUrl, environment: 'playground', rateLimit: false });
      // `/moved` sends the caller to another origin.
      const moved = http.all('*/moved', () => HttpResponse.redirect(redirectTo, 302));
      return { ...mock, handlers: [moved, ...mock.handlers] };
    }),
  );
  const events: TokenEvent[] = [];
  const auth = track(
    norce({
      baseUrl: served.url,
      tokenUrl: served.mock.tokenUrl,
      environment: 'playground',
      clientId: NORCE_MOCK_DEFAULTS.clientId,
      clientSecret: NORCE_MOCK_DEFAULTS.clientSecret,
      applicationId: NORCE_MOCK_DEFAULTS.applicationId,
      store: memoryStore(),
      onEvent: (event) => events.push(event),
    }),
  );
  return {
    auth,
    mock: served.mock,
    events,
    apiUrl: `${served.url}/commerce/product/1.1/ListProducts`,
    echoUrl: served.mock.echoUrl,
    origin: served.url,
  };
}

/** The Oracle Commerce mock on loopback (login sends the application key as a Bearer header). */
export async function servedOracle(): Promise<Served> {
  const served = track(await serveMock((baseUrl) => oracleCommerceMock({ baseUrl })));
  const events: TokenEvent[] = [];
  const auth = track(
    oracleCommerce({
      baseUrl: served.url,
      applicationKey: served.mock.applicationKeys[0]!,
      store: memoryStore(),
      onEvent: (event) => events.push(event),
    }),
  );
  return {
    auth,
    mock: served.mock,
    events,
    apiUrl: `${served.url}/ccadmin/v1/orders`,
    echoUrl: served.mock.echoUrl,
    origin: served.url,
  };
}

/** What a foreign origin saw: every request's credentials headers. */
export interface Foreign {
  readonly origin: string;
  readonly seen: { authorization: string | null; applicationid: string | null }[];
}

/** A second loopback origin no manager is configured for (`/probe`), with a redirect to it. */
export async function servedForeign(): Promise<Foreign> {
  const seen: Foreign['seen'] = [];
  const served = track(
    await serveMock([
      http.all('*/probe', ({ request }) => {
        const headers = {
          authorization: request.headers.get('authorization'),
          applicationid: request.headers.get('applicationid'),
        };
        seen.push(headers);
        return HttpResponse.json(headers);
      }),
    ]),
  );
  return { origin: served.url, seen };
}

export type { ServedMock };
