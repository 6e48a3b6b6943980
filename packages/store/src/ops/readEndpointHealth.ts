import { type HealthBucket, HealthBucketItem, hourOf, isExpired } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { healthIndexPartition, healthKey } from '../keys.js';
import { TTL_ATTRIBUTE } from '../tableDefinition.js';
import { batchGet } from '../support/batchGet.js';
import { decodeItem } from '../support/decode.js';
import { chunks, traverseInWaves } from '../support/waves.js';
import { queryAll } from './listAttempts.js';
import type { BucketShard } from './writeEndpointHealth.js';

// `dh endpoints`' one read: the window index (one Query per day, the days at once) names the
// bucket shards of the window; a shard with a run of hours in the window is read by one Query
// over its partition's hour range, scattered hours by BatchGetItem (100 a call). Never a scan:
// the cost grows with endpoints x shards x hours of the window, not with the table. (Measured
// on DynamoDB Local, 24 h of 20 endpoints x 4 shards: 80 range Queries take about a third of
// the 20 BatchGets of the same 1,920 items; a Query returns a range in one read, a BatchGet
// looks each key up.)

export type HealthWindow = {
  readonly since: Date;
  /** Exclusive. The window is widened to whole hours: buckets are hours. */
  readonly until: Date;
  /** Keep only these endpoints (applied to the index rows, before any bucket is read). */
  readonly keep?: (endpoint: string) => boolean;
};

const IndexRow = t.type({ type: t.literal('HEALTH_INDEX'), endpoint: t.string, hour: t.string, shard: t.number });

const HOUR_MS = 3_600_000;
/** Reads (Queries and BatchGets) at once: a 24 h window of 20 endpoints x 4 shards is 5 index and 80 bucket Queries. */
const READS_IN_FLIGHT = 16;
/** A shard with this many hours of the window or more is read by one Query over its hours. */
const RANGE_FROM_HOURS = 12;

/** Hours in one index Query: a day's index is read as a few ranges at once, not one long one. */
const INDEX_RANGE_HOURS = 6;

/**
 * The hours [from, to] (`yyyy-mm-ddThh`) as ranges of at most INDEX_RANGE_HOURS, none across a
 * day (each day is its own index partition), in order.
 */
const indexRangesOf = (from: string, to: string): Array<{ day: string; from: string; to: string }> => {
  const out: Array<{ day: string; from: string; to: string }> = [];
  const end = Date.parse(`${to}:00:00Z`);
  for (let h = Date.parse(`${from}:00:00Z`); h <= end; ) {
    const first = new Date(h).toISOString().slice(0, 13);
    const dayEnd = Date.parse(`${first.slice(0, 10)}T23:00:00Z`);
    const last = Math.min(end, dayEnd, h + (INDEX_RANGE_HOURS - 1) * HOUR_MS);
    out.push({ day: first.slice(0, 10), from: first, to: new Date(last).toISOString().slice(0, 13) });
    h = last + HOUR_MS;
  }
  return out;
};

/** The window's bucket shards, from the index (one Query per range of hours, READS_IN_FLIGHT at once). */
export const listHealthBuckets = (env: Env, w: HealthWindow): TE.TaskEither<StoreError, BucketShard[]> => {
  const ctx: ErrorContext = { op: 'listHealthBuckets' };
  const from = hourOf(w.since.toISOString());
  const to = hourOf(new Date(Math.max(w.since.getTime(), w.until.getTime() - 1)).toISOString());
  return pipe(
    traverseInWaves(indexRangesOf(from, to), READS_IN_FLIGHT, (r) =>
      queryAll(env, ctx, {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        // '#' sorts below '~': every shard and endpoint of the last hour is inside
        ExpressionAttributeValues: { ':pk': healthIndexPartition(r.day), ':from': r.from, ':to': `${r.to}#~` },
      }),
    ),
    TE.chainEitherK((pages) =>
      pipe(
        // retention: an hour past its TTL is gone, however much of it DynamoDB deleted yet
        pages
          .flat()
          .filter((i) => !isExpired(i[TTL_ATTRIBUTE], env.clock())),
        E.traverseArray((i) => decodeItem(IndexRow, i, { ...ctx, item: String(i.sk) })),
      ),
    ),
    TE.map((rows) => rows.filter((r) => w.keep === undefined || w.keep(r.endpoint))),
  );
};

type Read =
  | { readonly _tag: 'range'; readonly endpoint: string; readonly shard: number; readonly hours: ReadonlySet<string> }
  | { readonly _tag: 'keys'; readonly keys: ReadonlyArray<BucketShard> };

/** The window's shards as reads: one range per shard with a run of hours, the scattered rest by key. */
const readsOf = (rows: ReadonlyArray<BucketShard>): Read[] => {
  const byShard = new Map<string, BucketShard[]>();
  for (const r of rows) {
    const k = `${r.shard}#${r.endpoint}`;
    const same = byShard.get(k);
    if (same === undefined) byShard.set(k, [r]);
    else same.push(r);
  }
  const ranges: Read[] = [];
  const scattered: BucketShard[] = [];
  for (const shardRows of byShard.values()) {
    const first = shardRows[0];
    if (first !== undefined && shardRows.length >= RANGE_FROM_HOURS)
      ranges.push({
        _tag: 'range',
        endpoint: first.endpoint,
        shard: first.shard,
        hours: new Set(shardRows.map((r) => r.hour)),
      });
    else scattered.push(...shardRows);
  }
  return [...ranges, ...chunks(scattered, 100).map((keys): Read => ({ _tag: 'keys', keys }))];
};

const read = (env: Env, ctx: ErrorContext, r: Read): TE.TaskEither<StoreError, Record<string, unknown>[]> => {
  if (r._tag === 'keys')
    return batchGet(
      env,
      ctx,
      r.keys.map((k) => healthKey(k.endpoint, k.shard, k.hour)),
      false,
    );
  const hours = [...r.hours].sort();
  const first = healthKey(r.endpoint, r.shard, hours[0] ?? '');
  const last = healthKey(r.endpoint, r.shard, hours[hours.length - 1] ?? '');
  const named = new Set(hours.map((h) => healthKey(r.endpoint, r.shard, h).sk));
  return pipe(
    queryAll(env, ctx, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': first.pk, ':from': first.sk, ':to': last.sk },
    }),
    // exactly the hours the index names, as a read by key would return
    TE.map((items) => items.filter((i) => named.has(String(i.sk)))),
  );
};

/** Every bucket shard of the window (decoded), for every endpoint `keep` admits. */
export const readEndpointHealth = (env: Env, w: HealthWindow): TE.TaskEither<StoreError, HealthBucket[]> => {
  const ctx: ErrorContext = { op: 'readEndpointHealth' };
  return pipe(
    listHealthBuckets(env, w),
    TE.chain((rows) => traverseInWaves(readsOf(rows), READS_IN_FLIGHT, (r) => read(env, ctx, r))),
    TE.chainEitherK((pages) =>
      pipe(
        pages.flat().filter((i) => !isExpired(i[TTL_ATTRIBUTE], env.clock())),
        E.traverseArray((i) => decodeItem(HealthBucketItem, i, { ...ctx, item: String(i.pk) })),
        E.map((buckets) => [...buckets]),
      ),
    ),
  );
};
