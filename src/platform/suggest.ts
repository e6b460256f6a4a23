function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Up to `max` candidates closest to `input` (case-insensitive edit distance, substrings first). */
export function closest(input: string, candidates: readonly string[], max = 3): string[] {
  const needle = input.toLowerCase();
  return candidates
    .map((c) => {
      const hay = c.toLowerCase();
      const d = hay.includes(needle) || needle.includes(hay) ? 0 : distance(needle, hay);
      return { c, d };
    })
    .filter(({ c, d }) => d <= Math.max(3, Math.floor(c.length / 2)))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}
