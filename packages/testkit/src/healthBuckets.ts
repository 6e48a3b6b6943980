// Endpoint health in tests: the buckets the table holds (through the store's read) and the
// buckets a recomputation from the attempts gives (core's delta, the store's shard rule), in
// one comparable shape; the same for the endpoint-hour roll-ups (the shards summed).
import {
  type AttemptItem,
  type HealthBucket,
  type HealthHour,
  healthDeltaOf,
  mergeDeltas,
  sumShards,
} from '@delivery-history/core';
import { createStore, tableKeys } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { TestTable } from './testTable.js';

/** Comparable: sorted by hour, shard, endpoint; zero counters dropped. */
export const normalize = (buckets: readonly HealthBucket[]): HealthBucket[] =>
  buckets
    .map((b) => ({
      ...b,
      counters: Object.fromEntries(
        Object.entries(b.counters)
          .filter(([, v]) => v !== 0)
          .sort(([a], [b]) => a.localeCompare(b)),
      ),
    }))
    .sort((a, b) => `${a.hour} ${a.shard} ${a.endpoint}`.localeCompare(`${b.hour} ${b.shard} ${b.endpoint}`));

/** What the aggregates must be: every attempt counted once, in its message's shard. */
export const expectedBuckets = (attempts: readonly AttemptItem[], shards: number): HealthBucket[] => {
  const byShard = new Map<number, AttemptItem[]>();
  for (const a of attempts) {
    const s = tableKeys.healthShardOf(a.messageId, shards);
    byShard.set(s, [...(byShard.get(s) ?? []), a]);
  }
  return normalize([...byShard].flatMap(([shard, as]) => mergeDeltas(healthDeltaOf(as)).map((d) => ({ ...d, shard }))));
};

/** Every attempt of these messages, from the table. */
export const attemptsOf = async (t: TestTable, ids: readonly string[]): Promise<AttemptItem[]> => {
  const store = createStore({ doc: t.doc, tableName: t.tableName });
  const out: AttemptItem[] = [];
  for (const id of ids) {
    const r = await store.listAttempts(id, 1)();
    if (E.isLeft(r)) throw new Error(`listAttempts ${id}: ${r.left.message}`);
    out.push(...r.right);
  }
  return out;
};

/** The stored buckets of [since, until), through the store's read (index + BatchGetItem). */
export const storedBuckets = async (t: TestTable, since: Date, until: Date): Promise<HealthBucket[]> => {
  const r = await createStore({ doc: t.doc, tableName: t.tableName }).readEndpointHealth({ since, until })();
  if (E.isLeft(r)) throw new Error(`readEndpointHealth: ${r.left.message}`);
  return normalize(r.right);
};

/** Comparable roll-ups: sorted by hour, endpoint; zero counters dropped. */
export const normalizeHours = (hours: readonly HealthHour[]): HealthHour[] =>
  normalize(hours.map((h) => ({ ...h, shard: 0 }))).map(({ shard: _, ...h }) => h);

/** What the roll-ups must be: every shard of an endpoint-hour summed. */
export const expectedHours = (buckets: readonly HealthHour[]): HealthHour[] => normalizeHours(sumShards(buckets));

/** The stored roll-ups of [since, until), as the faces read them (`rollupsOnly`: never summed from the shards). */
export const storedHours = async (t: TestTable, since: Date, until: Date): Promise<HealthHour[]> => {
  const r = await createStore({ doc: t.doc, tableName: t.tableName }).readHealthHours({
    since,
    until,
    rollupsOnly: true,
  })();
  if (E.isLeft(r)) throw new Error(`readHealthHours: ${r.left.message}`);
  return normalizeHours(r.right);
};
