/**
 * A long command's findings (verify's violations, replay's drift): each counted by kind, the
 * first `max` kept for the report, the rest only counted (`omitted`), so a table in bad shape
 * cannot make the report unbounded.
 */
export const boundedTally = <K extends string, A>(kinds: ReadonlyArray<K>, max: number) => {
  const counts = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<K, number>;
  const kept: A[] = [];
  let omitted = 0;
  return {
    counts,
    kept,
    add: (kind: K, found: A): void => {
      counts[kind]++;
      if (kept.length < max) kept.push(found);
      else omitted++;
    },
    omitted: (): number => omitted,
  };
};
