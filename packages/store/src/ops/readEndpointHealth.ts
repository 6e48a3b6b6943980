import { type HealthBucket, HealthBucketItem, hourOf, isExpired } from '@delivery-history/core';
import * as A from 'fp-ts/lib/Array.js';
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

// `dh endpoints`' one read: the window index (one Query per day) names the bucket shards of
// the window, then BatchGetItem reads them (100 a call). Never a scan: the cost grows with
// endpoints x shards x hours of the window, not with the table.

export type HealthWindow = {
  readonly since: Date;
  /** Exclusive. The window is widened to whole hours: buckets are hours. */
  readonly until: Date;
  /** Keep only these endpoints (applied to the index rows, before any bucket is read). */
  readonly keep?: (endpoint: string) => boolean;
};

const IndexRow = t.type({ type: t.literal('HEALTH_INDEX'), endpoint: t.string, hour: t.string, shard: t.number });

const HOUR_MS = 3_600_000;
/** BatchGetItem calls at once (a 24 h window of 20 endpoints x 4 shards is 20 calls). */
const BATCH_GETS_IN_FLIGHT = 4;

/** The days (`yyyy-mm-dd`) the hours [from, to] touch, in order. */
const daysOf = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (
    let d = Date.parse(`${from.slice(0, 10)}T00:00:00Z`);
    d <= Date.parse(`${to.slice(0, 10)}T00:00:00Z`);
    d += 24 * HOUR_MS
  ) {
    out.push(new Date(d).toISOString().slice(0, 10));
  }
  return out;
};

/** The window's bucket shards, from the index (one Query per day of the window). */
export const listHealthBuckets = (env: Env, w: HealthWindow): TE.TaskEither<StoreError, BucketShard[]> => {
  const ctx: ErrorContext = { op: 'listHealthBuckets' };
  const from = hourOf(w.since.toISOString());
  const to = hourOf(new Date(Math.max(w.since.getTime(), w.until.getTime() - 1)).toISOString());
  return pipe(
    daysOf(from, to),
    A.traverse(TE.ApplicativeSeq)((day) =>
      queryAll(env, ctx, {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        // '#' sorts below '~': every shard and endpoint of the last hour is inside
        ExpressionAttributeValues: { ':pk': healthIndexPartition(day), ':from': from, ':to': `${to}#~` },
      }),
    ),
    TE.chainEitherK((pages) =>
      pipe(
        // retention: an hour past its TTL is gone, however much of it DynamoDB deleted yet
        pages
          .flat()
          .filter((i) => !isExpired(i[TTL_ATTRIBUTE], env.clock())),
        A.traverse(E.Applicative)((i) => decodeItem(IndexRow, i, { ...ctx, item: String(i.sk) })),
      ),
    ),
    TE.map((rows) => rows.filter((r) => w.keep === undefined || w.keep(r.endpoint))),
  );
};

/** Every bucket shard of the window (decoded), for every endpoint `keep` admits. */
export const readEndpointHealth = (env: Env, w: HealthWindow): TE.TaskEither<StoreError, HealthBucket[]> => {
  const ctx: ErrorContext = { op: 'readEndpointHealth' };
  return pipe(
    listHealthBuckets(env, w),
    TE.chain((rows) =>
      traverseInWaves(chunks(rows, 100), BATCH_GETS_IN_FLIGHT, (keys) =>
        batchGet(
          env,
          ctx,
          keys.map((k) => healthKey(k.endpoint, k.shard, k.hour)),
          false,
        ),
      ),
    ),
    TE.chainEitherK((pages) =>
      pipe(
        pages.flat().filter((i) => !isExpired(i[TTL_ATTRIBUTE], env.clock())),
        A.traverse(E.Applicative)((i) => decodeItem(HealthBucketItem, i, { ...ctx, item: String(i.pk) })),
      ),
    ),
  );
};
