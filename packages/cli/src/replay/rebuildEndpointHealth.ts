import { type AttemptItem, type HealthBucket, healthDeltaOf, hourOf, mergeDeltas } from '@delivery-history/core';
import { decodeAuditTrail, type StoreError, tableKeys } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { decodePartition } from '../kit/table/decodePartition.js';
import { forEachParallel } from '../kit/table/forEachParallel.js';
import { messageSource, type TableReader } from '../kit/table/tableReader.js';

// `dh replay endpoints`: recomputes the endpoint-health buckets of a window from the attempts
// and overwrites what is stored (counts are set, not added). Only attempts at or below each
// message's audit high-water mark are counted: those are exactly the ones a running projector
// has already added; the others it adds itself when it applies them.

export type HealthRebuildDeps = {
  readonly reader: TableReader;
  readonly readBuckets: (w: { since: Date; until: Date }) => TE.TaskEither<StoreError, HealthBucket[]>;
  readonly putBuckets: (buckets: readonly HealthBucket[]) => TE.TaskEither<StoreError, void>;
  readonly segments: number;
  readonly concurrency: number;
  /** Shards per endpoint-hour (the projector's DELIVERY_HEALTH_SHARDS, so a dry run compares shard by shard). */
  readonly shards: number;
  readonly onMessage?: () => void;
};

export type HealthRebuildOptions = { readonly since: Date; readonly until: Date; readonly dryRun: boolean };

export type BucketDifference = {
  readonly endpoint: string;
  readonly hour: string;
  readonly shard: number;
  /** Deliveries counted by the stored bucket (0: absent) and by the recomputation. */
  readonly stored: number;
  readonly expected: number;
};

export type HealthRebuildReport = {
  readonly dryRun: boolean;
  readonly since: string;
  readonly until: string;
  readonly scanned: number;
  /** Attempts of the window counted (at or below their message's high-water mark). */
  readonly attempts: number;
  readonly buckets: number;
  readonly differences: readonly BucketDifference[];
  readonly written: number;
};

const keyOf = (b: { endpoint: string; hour: string; shard: number }): string => `${b.hour} ${b.shard} ${b.endpoint}`;

const nonZero = (c: Readonly<Record<string, number>>): string =>
  JSON.stringify(
    Object.entries(c)
      .filter(([, v]) => v !== 0)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

const same = (a: HealthBucket, b: HealthBucket): boolean =>
  nonZero(a.counters) === nonZero(b.counters) && a.lastOk === b.lastOk && a.lastFail === b.lastFail;

const empty = (b: HealthBucket): HealthBucket => ({ ...b, counters: {}, lastOk: null, lastFail: null });

/** The applied attempts of one message inside the window's hours. */
const appliedInWindow = (messageId: string, items: Parameters<typeof decodePartition>[1], hours: [string, string]) => {
  const decoded = decodePartition(messageId, items);
  const trail = decodeAuditTrail(messageId, decoded.auditItems);
  const through = E.isRight(trail) ? (trail.right.summary?.through ?? 0) : 0;
  return decoded.attempts.filter((a) => {
    const h = hourOf(a.completedAt);
    return a.attemptNumber <= through && h >= hours[0] && h <= hours[1];
  });
};

/**
 * Adds one message's attempts to the recomputed buckets (in its shard: the projector's rule).
 * Only buckets are kept, never attempts: memory is endpoints x hours x shards.
 */
const accumulate = (acc: Map<string, HealthBucket>, shard: number, attempts: readonly AttemptItem[]): void => {
  for (const d of healthDeltaOf(attempts)) {
    const k = keyOf({ ...d, shard });
    const prev = acc.get(k);
    const [merged] = mergeDeltas(prev === undefined ? [d] : [prev, d]);
    if (merged !== undefined) acc.set(k, { ...merged, shard });
  }
};

const differencesOf = (stored: readonly HealthBucket[], expected: readonly HealthBucket[]) => {
  const want = new Map(expected.map((b) => [keyOf(b), b]));
  const have = new Map(stored.map((b) => [keyOf(b), b]));
  // a stored shard the recomputation has nothing for is zeroed (another shard count, or a wrong
  // count): every stored shard of the window is rewritten, so the sums are right whatever the count
  const targets = [...expected, ...stored.filter((b) => !want.has(keyOf(b))).map(empty)];
  const changed = targets.filter((b) => {
    const h = have.get(keyOf(b));
    return h === undefined ? Object.keys(b.counters).length > 0 : !same(h, b);
  });
  const differences = changed.map((b) => ({
    endpoint: b.endpoint,
    hour: b.hour,
    shard: b.shard,
    stored: have.get(keyOf(b))?.counters.n ?? 0,
    expected: b.counters.n ?? 0,
  }));
  return { changed, differences };
};

export const rebuildEndpointHealth = async (
  deps: HealthRebuildDeps,
  o: HealthRebuildOptions,
): Promise<E.Either<StoreError, HealthRebuildReport>> => {
  const hours: [string, string] = [
    hourOf(o.since.toISOString()),
    hourOf(new Date(Math.max(o.since.getTime(), o.until.getTime() - 1)).toISOString()),
  ];
  const acc = new Map<string, HealthBucket>();
  let scanned = 0;
  let attempts = 0;
  const pass = await forEachParallel(
    messageSource(deps.reader, undefined),
    async (m) => {
      const read = m.items !== null ? E.right(m.items) : await deps.reader.readPartition(m.messageId)();
      if (E.isLeft(read)) return read;
      const mine = appliedInWindow(m.messageId, read.right, hours);
      scanned += 1;
      attempts += mine.length;
      if (mine.length > 0) accumulate(acc, tableKeys.healthShardOf(m.messageId, deps.shards), mine);
      deps.onMessage?.();
      return E.right(undefined);
    },
    { segments: deps.segments, concurrency: deps.concurrency },
  );
  if (E.isLeft(pass)) return pass;
  const expected = [...acc.values()];
  const stored = await deps.readBuckets({ since: o.since, until: o.until })();
  if (E.isLeft(stored)) return stored;
  const { changed, differences } = differencesOf(stored.right, expected);
  if (!o.dryRun && changed.length > 0) {
    const put = await deps.putBuckets(changed)();
    if (E.isLeft(put)) return put;
  }
  return E.right({
    dryRun: o.dryRun,
    since: `${hours[0]}:00:00.000Z`,
    until: new Date(Date.parse(`${hours[1]}:00:00.000Z`) + 3_600_000).toISOString(),
    scanned,
    attempts,
    buckets: expected.length,
    differences,
    written: o.dryRun ? 0 : changed.length,
  });
};
