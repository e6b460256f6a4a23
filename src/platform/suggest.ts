/** Edit distance where swapping two neighbours is one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/** Up to `max` candidates closest to `input` (case-insensitive edit distance, substrings first). */
export function closest(input: string, candidates: readonly string[], max = 3): string[] {
  const needle = input.toLowerCase();
  return (
    candidates
      .map((c) => {
        const hay = c.toLowerCase();
        // A substring counts only when it is long enough to mean something ("v" is in "device").
        const sub = needle.length >= 3 && hay.length >= 3 && (hay.includes(needle) || needle.includes(hay));
        const d = sub ? 0 : distance(needle, hay);
        return { c, d };
      })
      // Close means a typo or two, not a different word.
      .filter(({ c, d }) => d <= Math.max(1, Math.min(3, Math.floor(c.length / 3))))
      .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
      .slice(0, max)
      .map(({ c }) => c)
  );
}
