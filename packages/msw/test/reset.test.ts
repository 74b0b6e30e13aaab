import { describe, expect, it } from 'vitest';
import { norceMock, oracleCommerceMock } from '../src/index.ts';
import { norceAccessToken, norceApi, oracleAccessToken, useMsw } from './support.ts';

const msw = useMsw();
const PRODUCTS = '/commerce/product/1.1/ListProducts';

describe('reset() and resetCounters() between tests', () => {
  it('reset() forgets issued tokens: a token cached across it gets a 401', async () => {
    const mock = norceMock();
    msw.use(mock);
    const token = await norceAccessToken(mock);
    mock.control.reset();
    expect((await norceApi(mock, PRODUCTS, token)).status).toBe(401);
    expect(mock.control.counters).toMatchObject({ tokenRequests: 0, api401s: 1 });
  });

  it('resetCounters() zeroes counters and the API record but keeps tokens valid', async () => {
    const mock = norceMock();
    msw.use(mock);
    const token = await norceAccessToken(mock);
    await norceApi(mock, PRODUCTS, token);
    mock.control.resetCounters();
    expect(mock.control.counters).toMatchObject({ tokenRequests: 0, tokensIssued: 0, apiCalls: 0 });
    expect(mock.control.apiRequests).toEqual([]);
    expect((await norceApi(mock, PRODUCTS, token)).status).toBe(200);
    expect(mock.control.counters).toMatchObject({ tokenRequests: 0, apiCalls: 1, api401s: 0 });
    expect(mock.control.apiRequests).toMatchObject([{ tokenIndex: 0, token: 'valid' }]);
    expect(mock.control.issuedTokens).toHaveLength(1);
  });

  it('resetCounters() works the same on the Oracle mock', async () => {
    const mock = oracleCommerceMock();
    msw.use(mock);
    const token = await oracleAccessToken(mock);
    mock.control.resetCounters();
    const response = await fetch(`${mock.apiOrigin}/ccadmin/v1/orders`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(mock.control.counters).toMatchObject({ logins: 0, apiCalls: 1, api401s: 0 });
  });
});
