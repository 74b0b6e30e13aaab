// Did-you-mean: the known name closest to what was typed, when it is close enough to be a typo.

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate closest to `typed` if it is a likely typo (about one edit per three letters) or
 * `typed` is a prefix of it (three letters at least); undefined otherwise.
 *
 * @example
 * closest('norse', ['norce', 'oracle']); // 'norce'
 */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  // Anything long is not a typo of a short name (and may be a secret): no work, no answer.
  if (lower.length === 0 || lower.length > 40) return undefined;
  let best: { name: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score =
      candidate.startsWith(lower) && lower.length >= 3
        ? 0
        : distance(lower, candidate.toLowerCase());
    if (best === undefined || score < best.score) best = { name: candidate, score };
  }
  const allowed = Math.max(1, Math.floor(typed.length / 3));
  return best !== undefined && best.score <= allowed ? best.name : undefined;
}
