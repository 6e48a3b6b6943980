import {
  type AttemptItem,
  type HealthBucket,
  type HealthHour,
  healthDeltaOf,
  hourOf,
  mergeDeltas,
  sumShards,
} from '@delivery-history/core';
import { decodeAuditTrail, type StoreError, tableKeys } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { decodePartition } from '../kit/table/decodePartition.js';
import { forEachParallel } from '../kit/table/forEachParallel.js';
import { messageSource, type TableReader } from '../kit/table/tableReader.js';

// `dh replay endpoints`: recomputes the endpoint-health buckets of a window from the attempts
// and overwrites what is stored (counts are set, not added), and the endpoint-hour roll-ups
// (the shards summed) likewise: a roll-up missing or drifted (hours counted before roll-ups
// existed, say) is rewritten even where its shards are right. Only attempts at or below each
// message's audit high-water mark are counted: those are exactly the ones a running projector
// has already added; the others it adds itself when it applies them.

export type HealthRebuildDeps = {
  readonly reader: TableReader;
  readonly readBuckets: (w: { since: Date; until: Date }) => TE.TaskEither<StoreError, HealthBucket[]>;
  readonly putBuckets: (buckets: readonly HealthBucket[]) => TE.TaskEither<StoreError, void>;
  /** The roll-ups as stored (none read from the shards). */
  readonly readHours: (w: { since: Date; until: Date }) => TE.TaskEither<StoreError, HealthHour[]>;
  readonly putHours: (hours: readonly HealthHour[]) => TE.TaskEither<StoreError, void>;
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

export type HourDifference = Omit<BucketDifference, 'shard'>;

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
  /** The endpoint-hour roll-ups: how many the recomputation has, those that differ, those written. */
  readonly rollups: {
    readonly hours: number;
    readonly differences: readonly HourDifference[];
    readonly written: number;
  };
};

const keyOf = (b: { endpoint: string; hour: string; shard: number }): string => `${b.hour} ${b.shard} ${b.endpoint}`;
const hourKeyOf = (h: HealthHour): string => `${h.hour} ${h.endpoint}`;

const nonZero = (c: Readonly<Record<string, number>>): string =>
  JSON.stringify(
    Object.entries(c)
      .filter(([, v]) => v !== 0)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

const same = (a: HealthHour, b: HealthHour): boolean =>
  nonZero(a.counters) === nonZero(b.counters) && a.lastOk === b.lastOk && a.lastFail === b.lastFail;

const empty = <B extends HealthHour>(b: B): B => ({ ...b, counters: {}, lastOk: null, lastFail: null });

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

/** What to write so the stored items equal the expected ones (shard buckets or roll-ups, by `key`). */
const changesOf = <B extends HealthHour>(stored: readonly B[], expected: readonly B[], key: (b: B) => string) => {
  const want = new Map(expected.map((b) => [key(b), b]));
  const have = new Map(stored.map((b) => [key(b), b]));
  // a stored item the recomputation has nothing for is zeroed (another shard count, or a wrong
  // count): every stored item of the window is rewritten, so the sums are right whatever the count
  const targets = [...expected, ...stored.filter((b) => !want.has(key(b))).map(empty)];
  const changed = targets.filter((b) => {
    const h = have.get(key(b));
    return h === undefined ? Object.keys(b.counters).length > 0 : !same(h, b);
  });
  const differences = changed.map((b) => ({
    b,
    stored: have.get(key(b))?.counters.n ?? 0,
    expected: b.counters.n ?? 0,
  }));
  return { changed, differences };
};

const differencesOf = (stored: readonly HealthBucket[], expected: readonly HealthBucket[]) => {
  const { changed, differences } = changesOf(stored, expected, keyOf);
  return {
    changed,
    differences: differences.map((d) => ({
      endpoint: d.b.endpoint,
      hour: d.b.hour,
      shard: d.b.shard,
      stored: d.stored,
      expected: d.expected,
    })),
  };
};

const hourDifferencesOf = (stored: readonly HealthHour[], expected: readonly HealthHour[]) => {
  const { changed, differences } = changesOf(stored, expected, hourKeyOf);
  return {
    changed,
    differences: differences.map((d) => ({
      endpoint: d.b.endpoint,
      hour: d.b.hour,
      stored: d.stored,
      expected: d.expected,
    })),
  };
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
  const storedHours = await deps.readHours({ since: o.since, until: o.until })();
  if (E.isLeft(storedHours)) return storedHours;
  const { changed, differences } = differencesOf(stored.right, expected);
  const expectedHours = sumShards(expected);
  const rollups = hourDifferencesOf(storedHours.right, expectedHours);
  if (!o.dryRun && changed.length > 0) {
    // also recomputes the roll-ups of the hours these touch, from the shards stored
    const put = await deps.putBuckets(changed)();
    if (E.isLeft(put)) return put;
  }
  if (!o.dryRun && rollups.changed.length > 0) {
    const put = await deps.putHours(rollups.changed)();
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
    rollups: {
      hours: expectedHours.length,
      differences: rollups.differences,
      written: o.dryRun ? 0 : rollups.changed.length,
    },
  });
};
