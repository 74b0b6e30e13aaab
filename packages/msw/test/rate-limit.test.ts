// The Norce token endpoint's limit per client IP in process (X-Forwarded-For), in NAT mode (one
// IP for every caller), and sped up for CI. Over real HTTP: rate-limit-served.test.ts.
import { describe, expect, it } from 'vitest';
import { manualClock, type NorceMock, norceMock } from '../src/index.ts';
import { norceToken, useMsw } from './support.ts';

const msw = useMsw();

async function statuses(
  mock: NorceMock,
  count: number,
  headers: Record<string, string> = {},
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await norceToken(mock, {}, headers)).status);
  return out;
}

const times = (count: number, status: number) => Array<number>(count).fill(status);

describe('Norce token endpoint rate limit, in process', () => {
  it('does allow 3 per minute + 20 per IP by default, one more every 20 s', async () => {
    const clock = manualClock();
    const mock = norceMock({ now: clock.now });
    msw.use(mock);
    const a = { 'x-forwarded-for': '10.0.0.1' };
    expect(await statuses(mock, 24, a)).toEqual([...times(23, 200), 429]);
    const refused = await norceToken(mock, {}, a);
    expect(refused.headers.get('retry-after')).toBe('20');
    clock.advance(20_000);
    expect(await statuses(mock, 2, a)).toEqual([200, 429]);
  });

  it('does give each client IP a bucket of its own', async () => {
    const mock = norceMock({ rateLimit: { perMinute: 3, burst: 20 }, now: manualClock().now });
    msw.use(mock);
    expect(await statuses(mock, 24, { 'x-forwarded-for': '10.0.0.1' })).toEqual([
      ...times(23, 200),
      429,
    ]);
    expect(await statuses(mock, 23, { 'x-forwarded-for': '10.0.0.2' })).toEqual(times(23, 200));
    // No address at all (in-process MSW sees no socket): one bucket of its own, 'unknown'.
    expect(await statuses(mock, 24)).toEqual([...times(23, 200), 429]);
    expect(mock.control.counters).toMatchObject({ tokenRequests: 71, tokenEndpoint429s: 2 });
  });

  it('does put every caller on one IP in NAT mode', async () => {
    const mock = norceMock({
      rateLimit: { perMinute: 3, burst: 20, nat: true },
      now: manualClock().now,
    });
    msw.use(mock);
    const spread = Array.from({ length: 23 }, (_, i) => ({ 'x-forwarded-for': `10.0.1.${i}` }));
    for (const headers of spread) expect((await norceToken(mock, {}, headers)).status).toBe(200);
    expect((await norceToken(mock, {}, { 'x-forwarded-for': '10.9.9.9' })).status).toBe(429);
    expect((await norceToken(mock)).status).toBe(429);
  });

  it('does run the same shape per second for CI: 3 per second + 20, one more every 1/3 s', async () => {
    const clock = manualClock();
    const mock = norceMock({ rateLimit: { perSecond: 3, burst: 20, nat: true }, now: clock.now });
    msw.use(mock);
    expect(await statuses(mock, 24)).toEqual([...times(23, 200), 429]);
    const refused = await norceToken(mock);
    expect(refused.headers.get('retry-after')).toBe('1');
    clock.advance(333);
    expect(await statuses(mock, 1)).toEqual([429]); // a hair short of one slot
    clock.advance(1);
    expect(await statuses(mock, 2)).toEqual([200, 429]);
    clock.advance(1_000);
    expect(await statuses(mock, 4)).toEqual([200, 200, 200, 429]);
  });

  it.each([
    ['both rates', { perMinute: 3, perSecond: 3, burst: 20 }],
    ['no rate', { burst: 20 }],
    ['a zero rate', { perSecond: 0, burst: 20 }],
    ['a negative burst', { perMinute: 3, burst: -1 }],
  ])('does refuse %s', (_name, rateLimit) => {
    expect(() => norceMock({ rateLimit })).toThrow(RangeError);
  });
});
