// ---------------------------------------------------------------------------
// When is the poller caught up? A logical tick is taken when a GetRecords or a DescribeStream
// starts. A `wait()` made at tick T resolves once a DescribeStream started after T has
// finished and every open shard has had an empty read that started after T: every write made
// before the call has then been read (and, since reads are sequential per shard, projected).
// ---------------------------------------------------------------------------

export type CaughtUp = {
  /** The tick a GetRecords or DescribeStream starts at. */
  nextTick(): number;
  /** A shard to wait for until it is drained or ended. */
  track(shardId: string): void;
  /** A DescribeStream that started at `tick` finished and its shards are tracked. */
  refreshed(tick: number): void;
  /** A GetRecords of the shard that started at `tick` returned nothing. */
  drained(shardId: string, tick: number): void;
  /** The shard is read to its end (or was already): never waited for again. */
  ended(shardId: string): void;
  /** Resolves when caught up with everything before now; rejects on `failAll`. */
  wait(): Promise<void>;
  /** Some `wait()` needs a read or refresh started after `tick`: do it now, not after a back-off. */
  awaitedAfter(tick: number): boolean;
  failAll(error: Error): void;
};

type Waiter = { readonly since: number; readonly ok: () => void; readonly fail: (e: Error) => void };

const ENDED = Number.POSITIVE_INFINITY;

export const makeCaughtUp = (): CaughtUp => {
  let tick = 0;
  let lastRefresh = -1;
  /** Per shard: the tick of its last empty read (-1: none yet; ENDED: read to its end). */
  const lastEmpty = new Map<string, number>();
  const waiters: Waiter[] = [];

  const isCaughtUp = (since: number): boolean => lastRefresh > since && [...lastEmpty.values()].every((t) => t > since);

  const check = (): void => {
    for (const w of [...waiters]) {
      if (!isCaughtUp(w.since)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.ok();
    }
  };

  return {
    nextTick: () => ++tick,
    track: (shardId) => {
      if (!lastEmpty.has(shardId)) lastEmpty.set(shardId, -1);
    },
    refreshed: (t) => {
      lastRefresh = t;
      check();
    },
    drained: (shardId, t) => {
      if (lastEmpty.get(shardId) !== ENDED) lastEmpty.set(shardId, t);
      check();
    },
    ended: (shardId) => {
      lastEmpty.set(shardId, ENDED);
      check();
    },
    wait: () =>
      new Promise<void>((ok, fail) => {
        waiters.push({ since: tick, ok, fail });
      }),
    awaitedAfter: (t) => waiters.some((w) => w.since >= t),
    failAll: (error) => {
      for (const w of waiters.splice(0)) w.fail(error);
    },
  };
};
