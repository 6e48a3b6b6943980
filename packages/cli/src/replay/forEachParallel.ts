// Runs `work` over a paged source with `segments` parallel readers and at most
// `concurrency` items in flight per reader. Memory stays bounded by segments x page size,
// whatever the size of the table: nothing is accumulated here.

export type Page<A> = { readonly items: ReadonlyArray<A>; readonly cursor: string | null };

export type PagedSource<A> = (segment: number, totalSegments: number, cursor: string | null) => Promise<Page<A>>;

export type ParallelOptions = {
  readonly segments: number;
  /** Items processed at once within one segment (default 4). */
  readonly concurrency?: number;
  /** Checked between pages: stop early (Ctrl-C, a bench deadline). */
  readonly shouldStop?: () => boolean;
};

const runBounded = async <A>(items: ReadonlyArray<A>, limit: number, work: (a: A) => Promise<void>): Promise<void> => {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as A);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
};

export const forEachParallel = async <A>(
  source: PagedSource<A>,
  work: (a: A) => Promise<void>,
  options: ParallelOptions,
): Promise<void> => {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const segment = async (s: number): Promise<void> => {
    let cursor: string | null = null;
    do {
      if (options.shouldStop?.() === true) return;
      const page: Page<A> = await source(s, options.segments, cursor);
      await runBounded(page.items, concurrency, work);
      cursor = page.cursor;
    } while (cursor !== null);
  };
  await Promise.all(Array.from({ length: options.segments }, (_, s) => segment(s)));
};

/** A fixed list as a paged source (replay of `--message a --message b`): one segment. */
export const listSource =
  <A>(items: ReadonlyArray<A>, pageSize = 100): PagedSource<A> =>
  async (segment, totalSegments, cursor) => {
    const mine = items.filter((_, i) => i % totalSegments === segment);
    const start = cursor === null ? 0 : Number(cursor);
    const end = start + pageSize;
    return { items: mine.slice(start, end), cursor: end < mine.length ? String(end) : null };
  };
