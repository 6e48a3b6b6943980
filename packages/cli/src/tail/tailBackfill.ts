import type { AttemptItem, RetryPolicy } from '@delivery-history/core';
import type { Store, StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { forEachParallel, listSource } from '../kit/table/forEachParallel.js';

// `dh tail --since T`: the attempts completed in [T, now) before the stream is followed. There
// is no index of attempts by time, and the endpoint index is keyed by creation time (fixed at
// creation, so no STATE change rewrites it). An attempt completed at or after T leaves its
// message's lastUpdatedAt at or after T, so the messages to read are found by index, never by
// a scan, in two ways whose union is read:
//   1. the endpoints' index from T - span on, keeping the rows updated since T: `span` is the
//      longest a message stays on its own retry schedule (every gap at its longest, the
//      backoff cap or the Retry-After cap, `retrySpanMs`), so a message created before T and
//      still retrying after T is found (with --endpoint, that endpoint's index; else every
//      endpoint the projector's hourly aggregates saw in the window; a bare host (no port) is
//      read for every port the aggregates saw it on, as tail's filter matches every port);
//   2. the failed index (keyed by lastUpdatedAt) from T on: every message FAILED or HELD now
//      whose last change was since T, however old (a re-drive or a release of long ago).
// Not found, and said in help and README: a message created before T - span whose attempts
// since T came from a re-drive, a hold's release or a queue backlog (or a larger per-message
// maxAttempts than the policy's) and that is no longer FAILED (delivered, or in flight). The
// --message ids themselves are read directly. Each message's attempts then come from its
// partition (one Query). The caller opens the stream (LATEST) before this read and drops what
// the backfill printed by attempt key, so the seam has no gap and no duplicate.

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
  /** How long before `since` a message may have been created and still retry after it (`retrySpanMs`). */
  readonly lookbackMs?: number;
};

/** The longest a message stays on its own retry schedule: each gap between attempts at its cap. */
export const retrySpanMs = (p: RetryPolicy): number =>
  Math.max(0, p.maxAttempts - 1) * Math.max(p.maxMs, p.retryAfterMaxMs);

export type Backfill = {
  /** Oldest first (newest last), at most BACKFILL_MAX. */
  readonly attempts: ReadonlyArray<AttemptItem>;
  /** Older attempts of the window left out. */
  readonly skipped: number;
};

/** The key the stream and the backfill share: one attempt is shown once. */
export const attemptKey = (a: { readonly messageId: string; readonly attemptNumber: number }): string =>
  `${a.messageId}#${a.attemptNumber}`;

type Summary = { readonly messageId: string; readonly endpoint: string; readonly lastUpdatedAt: string };
type Paged = (cursor: string | null) => Promise<E.Either<StoreError, { items: Summary[]; cursor: string | null }>>;

/** The ids of every page's rows that `keep` admits. */
const idsOf = async (page: Paged, keep: (s: Summary) => boolean): Promise<E.Either<StoreError, string[]>> => {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const p = await page(cursor);
    if (E.isLeft(p)) return p;
    ids.push(...p.right.items.filter(keep).map((s) => s.messageId));
    cursor = p.right.cursor;
  } while (cursor !== null);
  return E.right(ids);
};

/** One endpoint's messages created since `since - lookback` and changed since `since` (way 1). */
const idsOfEndpoint = (store: Store, endpoint: string, input: BackfillInput) => {
  const updated = input.since.toISOString();
  return idsOf(
    (cursor) =>
      store.queryByEndpoint({
        endpoint,
        since: new Date(input.since.getTime() - (input.lookbackMs ?? 0)),
        limit: 1000,
        ...(cursor !== null ? { cursor } : {}),
      })(),
    (s) => s.lastUpdatedAt >= updated,
  );
};

/** The messages FAILED or HELD now whose last change was since `since`, of the endpoints asked for (way 2). */
const idsFailedSince = (store: Store, input: BackfillInput) => {
  const keep = input.matches;
  return idsOf(
    (cursor) =>
      store.queryFailed({
        since: input.since,
        until: input.now,
        limit: 1000,
        ...(cursor !== null ? { cursor } : {}),
      })(),
    (s) => keep === undefined || keep(s.endpoint),
  );
};

/**
 * The endpoints to read: those the hourly aggregates saw in the window that the filter admits
 * (a bare host: every port), plus the one asked for as given.
 */
const endpointsOf = async (store: Store, input: BackfillInput): Promise<E.Either<StoreError, string[]>> => {
  const keep = input.matches;
  const buckets = await store.readHealthHours({
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
  const failed = await idsFailedSince(store, input);
  if (E.isLeft(failed)) return failed;
  const ids = new Set<string>(failed.right);
  for (const endpoint of endpoints.right) {
    const some = await idsOfEndpoint(store, endpoint, input);
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
