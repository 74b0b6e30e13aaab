import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokenManager, memoryStore, type Token, TokenEndpointError } from '../src/index.ts';
import { fakeProvider } from './fake-provider.ts';

const API = 'https://api.example.com/x';

type Op =
  | { kind: 'get'; abortAfter?: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'invalidate'; which: 'latest' | 'oldest' }
  | { kind: 'reauthorize' }
  | { kind: 'force' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('get' as const) }),
  fc.record({ kind: fc.constant('get' as const), abortAfter: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 400_000 }) }),
  fc.record({
    kind: fc.constant('invalidate' as const),
    which: fc.constantFrom('latest' as const, 'oldest' as const),
  }),
  fc.record({ kind: fc.constant('reauthorize' as const) }),
  fc.record({ kind: fc.constant('force' as const) }),
);

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('invariants over random schedules', () => {
  it('≤ 1 fetch in flight, no expired token handed out, every caller settles', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 60_000, max: 600_000 }),
        fc.array(fc.boolean(), { maxLength: 30 }),
        async (ops, delayMs, lifetimeMs, failures) => {
          const provider = fakeProvider({
            delayMs,
            lifetimeMs,
            outcome: (n) =>
              failures[n - 1]
                ? new TokenEndpointError('flaky', { endpoint: 'x', status: 503, retryable: true })
                : undefined,
          });
          const auth = createTokenManager(provider, { store: memoryStore() });
          const seen: Token[] = [];
          const settled: boolean[] = [];
          const track = (promise: Promise<Token | undefined>): void => {
            const index = settled.push(false) - 1;
            promise.then(
              (token) => {
                settled[index] = true;
                if (!token) return;
                // Never hand out a token the manager knew had expired.
                expect(Date.now()).toBeLessThan(token.expiresAt);
                seen.push(token);
              },
              () => {
                settled[index] = true;
              },
            );
          };
          for (const step of ops) {
            switch (step.kind) {
              case 'get': {
                const controller = new AbortController();
                track(auth.getToken({ signal: controller.signal }));
                if (step.abortAfter !== undefined)
                  setTimeout(() => controller.abort(), step.abortAfter);
                break;
              }
              case 'advance':
                await vi.advanceTimersByTimeAsync(step.ms);
                break;
              case 'invalidate': {
                const token = step.which === 'latest' ? seen.at(-1) : seen[0];
                if (token) await auth.invalidate(token);
                break;
              }
              case 'reauthorize': {
                const token = seen.at(-1);
                if (token) track(auth.reauthorize(API, token).then((a) => a?.token));
                break;
              }
              case 'force':
                track(auth.getToken({ forceRefresh: true }));
                break;
            }
          }
          await vi.advanceTimersByTimeAsync(120_000);
          expect(settled.every(Boolean)).toBe(true);
          expect(provider.running.max).toBeLessThanOrEqual(1);
          await auth.close();
          expect(vi.getTimerCount()).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('invalidating any older token never drops the current one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 12 }), fc.nat(), async (refreshes, pick) => {
        const provider = fakeProvider();
        const auth = createTokenManager(provider, { store: memoryStore() });
        const history: Token[] = [await auth.getToken()];
        for (let i = 1; i < refreshes; i++)
          history.push(await auth.getToken({ forceRefresh: true }));
        const current = history.at(-1)!;
        const old = history[pick % (history.length - 1)]!;
        await auth.invalidate(old);
        expect(await auth.getToken()).toBe(current);
        expect(provider.calls).toHaveLength(refreshes);
        await auth.close();
      }),
      { numRuns: 100 },
    );
  });
});
