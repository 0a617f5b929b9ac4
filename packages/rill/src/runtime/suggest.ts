/** Edit distance (insertions, deletions, substitutions, adjacent transpositions). */
function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * The candidate closest to `name`, when it is close enough to be a likely typo (at most
 * one edit per three characters, at least one); otherwise undefined.
 */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  // Names longer than any candidate by far are not typos; skip the quadratic work.
  if (name.length > 200) return undefined;
  const budget = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = budget + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) > budget) continue;
    const dist = distance(name.toLowerCase(), c.toLowerCase());
    if (dist < bestDistance && c !== name) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}
