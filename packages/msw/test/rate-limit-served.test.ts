// The Norce token endpoint's limit per client IP over real HTTP: the socket's peer address is the
// IP (loopback aliases 127.0.0.1 and 127.0.0.2 as two hosts), unless NAT mode makes it one.
// No in-process MSW server here: it would intercept these node:http requests.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  manualClock,
  type NorceMock,
  norceMock,
  type ServedMock,
  serveMock,
} from '../src/index.ts';
import { NORCE_CREDENTIALS } from './support.ts';

/** POSTs a token request to the served mock from `localAddress` (a loopback alias). */
function tokenFrom(served: ServedMock<NorceMock>, localAddress: string): Promise<number> {
  const url = new URL(served.mock.tokenUrl);
  const body = new URLSearchParams(NORCE_CREDENTIALS).toString();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

describe('Norce token endpoint rate limit, served over HTTP', () => {
  let served: ServedMock<NorceMock> | undefined;
  afterEach(async () => {
    await served?.close();
    served = undefined;
  });

  async function serveAndSend(nat: boolean): Promise<Record<string, number[]>> {
    const clock = manualClock();
    served = await serveMock((baseUrl) =>
      norceMock({ baseUrl, now: clock.now, rateLimit: { perMinute: 1, burst: 2, nat } }),
    );
    const seen: Record<string, number[]> = { '127.0.0.1': [], '127.0.0.2': [] };
    for (const address of Object.keys(seen)) {
      for (let i = 0; i < 4; i++) seen[address]!.push(await tokenFrom(served, address));
    }
    return seen;
  }

  it('does key the buckets by the peer address of the connection', async () => {
    expect(await serveAndSend(false)).toEqual({
      '127.0.0.1': [200, 200, 200, 429],
      '127.0.0.2': [200, 200, 200, 429],
    });
  });

  it('does share one bucket between addresses in NAT mode', async () => {
    expect(await serveAndSend(true)).toEqual({
      '127.0.0.1': [200, 200, 200, 429],
      '127.0.0.2': [429, 429, 429, 429],
    });
  });
});
