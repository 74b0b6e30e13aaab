// How a measured value is judged against a "≤ target" limit when two runs of the same arm differ by
// `noise` (in the value's own units): met or not only when the value is further from the target
// than that; closer, it is "within noise" (null).

/** true: met; false: missed; null: within noise of the target. */
export function judgeAtMost(value: number, target: number, noise: number): boolean | null {
  if (value + noise <= target) return true;
  if (value - noise > target) return false;
  return null;
}
