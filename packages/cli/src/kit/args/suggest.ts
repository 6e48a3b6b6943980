// "Did you mean": the closest known name to a mistyped command or flag (edit distance).

/** Edit distance with adjacent transpositions counted as one edit (optimal string alignment). */
const distance = (a: string, b: string): number => {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row !== undefined) row[j] = v;
    }
  }
  return at(a.length, b.length);
};

/** The known name closest to `got` (a prefix counts), or null when none is close. */
export const closest = (got: string, known: ReadonlyArray<string>): string | null => {
  const g = got.toLowerCase();
  const prefixed = known.filter((k) => k.startsWith(g) && g.length >= 2);
  if (prefixed.length === 1) return prefixed[0] ?? null;
  const limit = Math.max(1, Math.floor(g.length / 3));
  let best: string | null = null;
  let bestD = limit + 1;
  for (const k of known) {
    const d = distance(g, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
};

/** ` (did you mean "x"?)` or nothing. */
export const didYouMean = (got: string, known: ReadonlyArray<string>, render = (s: string) => s): string => {
  const c = closest(got, known);
  return c === null ? '' : ` (did you mean ${render(c)}?)`;
};
