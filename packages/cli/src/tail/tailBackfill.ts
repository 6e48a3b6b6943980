import type { AttemptItem } from '@delivery-history/core';
import type { Store, StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { endpointMessageIds } from '../kit/table/endpointMessageIds.js';
import { forEachParallel, listSource } from '../kit/table/forEachParallel.js';

// `dh tail --since T`: the attempts completed in [T, now) before the stream is followed. There
// is no index of attempts by time; an attempt completed at or after T leaves its message's
// lastUpdatedAt at or after T, so the messages to read are found by index, never by a scan:
// the --message ids themselves; with --endpoint that endpoint's index from T on; else every
// endpoint the projector's hourly aggregates saw in the window, each through its index. Each
// message's attempts then come from its partition (one Query). A bare host (no port) is read
// for every port the aggregates saw it on, as tail's filter matches every port. The caller opens the stream
// (LATEST) before this read and drops what the backfill printed by attempt key, so the seam
// has no gap and no duplicate.

/** Messages read at once. */
const CONCURRENCY = 8;
/** Rows a backfill prints at most (the newest); the rest are counted. */
export const BACKFILL_MAX = 1_000;

export type BackfillInput = {
  readonly since: Date;
  readonly now: Date;
  /** The --endpoint filter as given (its own index is read even before the projector saw it)... */
  readonly endpoint?: string | undefined;
  /** ...and as a rule on stored endpoints (a bare host matches every port). */
  readonly matches?: ((endpoint: string) => boolean) | undefined;
  readonly messages?: ReadonlyArray<string> | undefined;
};

export type Backfill = {
  /** Oldest first (newest last), at most BACKFILL_MAX. */
  readonly attempts: ReadonlyArray<AttemptItem>;
  /** Older attempts of the window left out. */
  readonly skipped: number;
};

/** The key the stream and the backfill share: one attempt is shown once. */
export const attemptKey = (a: { readonly messageId: string; readonly attemptNumber: number }): string =>
  `${a.messageId}#${a.attemptNumber}`;

/**
 * The endpoints to read: those the hourly aggregates saw in the window that the filter admits
 * (a bare host: every port), plus the one asked for as given.
 */
const endpointsOf = async (store: Store, input: BackfillInput): Promise<E.Either<StoreError, string[]>> => {
  const keep = input.matches;
  const buckets = await store.readEndpointHealth({
    since: input.since,
    until: input.now,
    ...(keep !== undefined ? { keep } : {}),
  })();
  return E.map((bs: ReadonlyArray<{ readonly endpoint: string }>) => [
    ...new Set([...(input.endpoint !== undefined ? [input.endpoint] : []), ...bs.map((b) => b.endpoint)]),
  ])(buckets);
};

const messagesOf = async (store: Store, input: BackfillInput): Promise<E.Either<StoreError, string[]>> => {
  if (input.messages !== undefined) return E.right([...input.messages]);
  const endpoints = await endpointsOf(store, input);
  if (E.isLeft(endpoints)) return endpoints;
  const ids = new Set<string>();
  for (const endpoint of endpoints.right) {
    const some = await endpointMessageIds(store, { endpoint, since: input.since });
    if (E.isLeft(some)) return some;
    for (const id of some.right) ids.add(id);
  }
  return E.right([...ids]);
};

/** The attempts completed in [since, now) that `keep` admits, oldest first. */
export const readBackfill = async (
  store: Store,
  input: BackfillInput,
  keep: (a: AttemptItem) => boolean,
): Promise<E.Either<StoreError, Backfill>> => {
  const ids = await messagesOf(store, input);
  if (E.isLeft(ids)) return ids;
  const since = input.since.toISOString();
  const found: AttemptItem[] = [];
  const pass = await forEachParallel(
    listSource(ids.right),
    async (id): Promise<E.Either<StoreError, void>> => {
      const h = await store.getHistory(id)();
      // a message asked for by --message that does not exist is no error: nothing to show yet
      if (E.isLeft(h)) return h.left._tag === 'NotFound' ? E.right(undefined) : h;
      for (const a of h.right.attempts) if (a.completedAt >= since && keep(a)) found.push(a);
      return E.right(undefined);
    },
    { segments: 1, concurrency: CONCURRENCY },
  );
  if (E.isLeft(pass)) return pass;
  const sorted = found.sort((a, b) =>
    a.completedAt === b.completedAt
      ? attemptKey(a).localeCompare(attemptKey(b))
      : a.completedAt < b.completedAt
        ? -1
        : 1,
  );
  const skipped = Math.max(0, sorted.length - BACKFILL_MAX);
  return E.right({ attempts: sorted.slice(skipped), skipped });
};
