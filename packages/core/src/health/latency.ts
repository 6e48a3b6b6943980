// ---------------------------------------------------------------------------
// The fixed latency histogram of endpoint health: bucket edges (ms, upper bounds, inclusive)
// and the percentile read-off. Fixed edges make buckets additive across shards, hours and
// projector invocations, so a percentile over any window is read off a sum of counts.
// ---------------------------------------------------------------------------

/** Upper edges in ms; a value v is in the first bucket whose edge is >= v; past the last: overflow. */
export const LATENCY_EDGES_MS: readonly number[] = [
  10, 25, 50, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 30000,
];

/** Buckets: one per edge plus the overflow bucket. */
export const LATENCY_BUCKETS = LATENCY_EDGES_MS.length + 1;

/** Index of the bucket holding `ms`. */
export const latencyBucketOf = (ms: number): number => {
  const i = LATENCY_EDGES_MS.findIndex((edge) => ms <= edge);
  return i === -1 ? LATENCY_EDGES_MS.length : i;
};

/** The upper edge of a bucket; null for the overflow bucket (above the last edge). */
export const latencyUpperEdge = (bucket: number): number | null => LATENCY_EDGES_MS[bucket] ?? null;

export type Percentile = {
  /** The upper edge of the bucket holding the q-th value (an upper bound of it); null: above the last edge. */
  readonly upperMs: number | null;
};

/**
 * The q-quantile (0 < q <= 1) of a histogram, nearest rank: the bucket that holds the
 * ceil(q * total)-th smallest value. Exactly the bucket of that value in the raw data, so it
 * equals `latencyUpperEdge(latencyBucketOf(sorted[rank - 1]))`. null when the histogram is empty.
 */
export const percentileOf = (counts: readonly number[], q: number): Percentile | null => {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank) return { upperMs: latencyUpperEdge(i) };
  }
  return { upperMs: null };
};
