// Callgrind targets are judged against the repeat noise: met or missed only beyond it.
import { describe, expect, it } from 'vitest';
import { judgeAtMost } from '../lib/verdict.ts';

describe('judgeAtMost', () => {
  it('meets a target only when the value plus the noise stays at or under it', () => {
    expect(judgeAtMost(0.003, 0.005, 0.001)).toBe(true);
    expect(judgeAtMost(0.004, 0.005, 0.001)).toBe(true);
    expect(judgeAtMost(0.0045, 0.005, 0.001)).toBeNull();
  });

  it('misses it only when the value minus the noise is over it', () => {
    expect(judgeAtMost(0.007, 0.005, 0.001)).toBe(false);
    expect(judgeAtMost(0.0055, 0.005, 0.001)).toBeNull();
  });

  it('with no noise, judges the value as it is', () => {
    expect(judgeAtMost(0.005, 0.005, 0)).toBe(true);
    expect(judgeAtMost(0.0051, 0.005, 0)).toBe(false);
  });
});
