// Concurrent set/delete/get on one key, from two handles, checked for linearizability with fast-check.
import type { Token, TokenStore } from '@authwire/core';
import fc from 'fast-check';
import type { SuiteApi } from './api.ts';
import { freshKey, makeToken, type StoreFactory, withFixture } from './fixture.ts';

/** Tokens a run chooses from, by index: few, so deletes often hit the current one. */
const POOL = 3;

type Op =
  | { readonly kind: 'set'; readonly token: number; readonly peer: boolean }
  | { readonly kind: 'delete'; readonly token: number; readonly peer: boolean }
  | { readonly kind: 'get'; readonly peer: boolean };

/** What an op answered: nothing (set), whether it deleted, or which pool token it read (-1: none). */
type Answer = undefined | boolean | number;

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), token: fc.nat(POOL - 1), peer: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), token: fc.nat(POOL - 1), peer: fc.boolean() }),
  fc.record({ kind: fc.constant('get' as const), peer: fc.boolean() }),
);
/** Rounds of ops started together; each round settles before the next starts. */
const roundsArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 4 }), {
  minLength: 1,
  maxLength: 5,
});

/** The sequential model: `state` is the pool index held, or -1. */
function apply(state: number, op: Op): { state: number; answer: Answer } {
  if (op.kind === 'set') return { state: op.token, answer: undefined };
  if (op.kind === 'get') return { state, answer: state };
  return state === op.token ? { state: -1, answer: true } : { state, answer: false };
}

/** Whether some order of `ops` from `state` gives exactly `answers` and ends in `final`. */
function linearizable(
  state: number,
  ops: readonly Op[],
  answers: readonly Answer[],
  final: number,
) {
  const search = (current: number, left: readonly number[]): boolean => {
    if (left.length === 0) return current === final;
    return left.some((index, i) => {
      const step = apply(current, ops[index]!);
      if (step.answer !== answers[index]) return false;
      return search(step.state, [...left.slice(0, i), ...left.slice(i + 1)]);
    });
  };
  return search(
    state,
    ops.map((_, i) => i),
  );
}

export function interleavingsGroup(
  { describe, it, expect }: SuiteApi,
  factory: StoreFactory,
  numRuns: number,
): void {
  describe('interleavings', () => {
    it(
      'answers concurrent set/delete/get on one key as some sequential order would',
      withFixture(factory, async ({ store, peer }) => {
        await fc.assert(
          fc.asyncProperty(roundsArb, async (rounds) => {
            const key = freshKey('interleaved');
            const pool: Token[] = Array.from({ length: POOL }, () => makeToken());
            const indexOf = (token: Token | undefined): number =>
              token === undefined ? -1 : pool.findIndex((t) => t.accessToken === token.accessToken);
            const run = async (op: Op): Promise<Answer> => {
              const target: TokenStore = op.peer ? peer : store;
              if (op.kind === 'set') return void (await target.set(key, pool[op.token]!, 60_000));
              if (op.kind === 'delete') return target.delete(key, pool[op.token]!);
              return indexOf(await target.get(key));
            };
            let state = -1;
            for (const ops of rounds) {
              const answers = await Promise.all(ops.map(run));
              const final = indexOf(await store.get(key));
              expect(
                linearizable(state, ops, answers, final),
                `round ${JSON.stringify(ops)} answered ${JSON.stringify(answers)}, then held ${final}, from ${state}`,
              ).toBe(true);
              state = final;
            }
          }),
          { numRuns },
        );
      }),
    );
  });
}
