import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type HealthBucket, type HealthHour, maxMarker, sumShards } from '@delivery-history/core';
import * as A from 'fp-ts/lib/Array.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import {
  bucketPutAction,
  dayIndexItem,
  hourPutItem,
  indexItem,
  type MarkerKind,
  markerAction,
} from '../health/healthActions.js';
import { send } from '../support/send.js';
import { chunks, traverseInWaves } from '../support/waves.js';
import { BATCH_PUT_MAX, batchPut } from './batchPut.js';
import { readEndpointHealth } from './readEndpointHealth.js';

// Endpoint-health writes outside the AUDIT transaction (the counted part is in
// writeAuditStep): the window index and the newest success/failure markers, both idempotent,
// and replay's overwrite of recomputed buckets. Each keeps the endpoint-hour roll-ups in step
// with the shards: the day's endpoint list beside the window index, the roll-up's marker beside
// the shard's, and the roll-ups of rewritten shards recomputed from the shards.

export type BucketShard = { readonly endpoint: string; readonly hour: string; readonly shard: number };

/** The day items of the roll-ups of these hours: one per endpoint and day. */
const dayItemsOf = (env: Env, hours: ReadonlyArray<{ endpoint: string; hour: string }>) => {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const h of hours) {
    const day = h.hour.slice(0, 10);
    byKey.set(`${day} ${h.endpoint}`, dayIndexItem(day, h.endpoint, env.retentionDays));
  }
  return [...byKey.values()];
};

/**
 * Index items of bucket shards (idempotent Puts, 25 a call): `readEndpointHealth` finds the
 * buckets through them, `readHealthHours` the roll-ups through their endpoint-day items.
 */
export const putHealthIndex = (env: Env, buckets: readonly BucketShard[]): TE.TaskEither<StoreError, void> =>
  pipe(
    chunks(
      [...buckets.map((b) => indexItem(b.hour, b.shard, b.endpoint, env.retentionDays)), ...dayItemsOf(env, buckets)],
      BATCH_PUT_MAX,
    ),
    A.traverse(TE.ApplicativeSeq)((items) => batchPut(env, items)),
    TE.map(() => undefined),
  );

export type HealthMarker = BucketShard & { readonly kind: MarkerKind; readonly marker: string };

/** A marker of one shard (`shard` a number) or of its endpoint-hour roll-up (`shard` null). */
type Raise = Omit<HealthMarker, 'shard'> & { readonly shard: number | null };

const sendMarker = (env: Env, ctx: ErrorContext, m: Raise): TE.TaskEither<StoreError, void> =>
  pipe(
    send(env, ctx, [`HOUR#${m.hour}`], () =>
      env.doc.send(new UpdateCommand(markerAction(env.tableName, m, m.kind, m.marker, env.retentionDays))),
    ),
    TE.map(() => undefined),
  );

/** Raises one marker (a max): a refused condition means a newer marker is stored, which is success. */
const raiseMarker = (env: Env, m: Raise): TE.TaskEither<StoreError, void> =>
  pipe(
    sendMarker(env, { op: 'raiseHealthMarker' }, m),
    TE.orElse((e) => (isConditionFailure(e) ? TE.right(undefined) : TE.left(e))),
  );

/** The roll-up markers of shard markers: the max per endpoint-hour and kind. */
const hourMarkersOf = (markers: readonly HealthMarker[]): Raise[] => {
  const byKey = new Map<string, Raise>();
  for (const m of markers) {
    const k = `${m.kind} ${m.hour} ${m.endpoint}`;
    const prev = byKey.get(k);
    byKey.set(k, { ...m, shard: null, marker: maxMarker(prev?.marker ?? null, m.marker) ?? m.marker });
  }
  return [...byKey.values()];
};

/** Markers raised at once (a batch touching many endpoints has many). */
const MARKERS_IN_FLIGHT = 8;

/**
 * Raises the newest success/failure markers of buckets and of their endpoint-hour roll-ups
 * (one conditional update each, 8 at a time).
 */
export const raiseHealthMarkers = (env: Env, markers: readonly HealthMarker[]): TE.TaskEither<StoreError, void> =>
  pipe(
    traverseInWaves([...markers, ...hourMarkersOf(markers)], MARKERS_IN_FLIGHT, (m) => raiseMarker(env, m)),
    TE.map(() => undefined),
  );

/**
 * Replaces endpoint-hour roll-ups with recomputed ones (replay: the sums of the recomputed
 * shards; an empty one zeroes a roll-up that should not count anything), with their day items.
 */
export const putHealthHours = (env: Env, hours: readonly HealthHour[]): TE.TaskEither<StoreError, void> =>
  pipe(
    chunks([...dayItemsOf(env, hours), ...hours.map((h) => hourPutItem(h, env.retentionDays))], BATCH_PUT_MAX),
    A.traverse(TE.ApplicativeSeq)((items) => batchPut(env, items)),
    TE.map(() => undefined),
  );

const HOUR_MS = 3_600_000;

/**
 * The roll-ups of the endpoint-hours `buckets` touch, recomputed from every stored shard of
 * them (read after the shards were written), so a roll-up stays the sum of its shards.
 */
const sumStoredShards = (env: Env, buckets: readonly HealthBucket[]): TE.TaskEither<StoreError, void> => {
  if (buckets.length === 0) return TE.right(undefined);
  const hours = buckets.map((b) => b.hour).sort();
  const touched = new Set(buckets.map((b) => `${b.hour} ${b.endpoint}`));
  const endpoints = new Set(buckets.map((b) => b.endpoint));
  return pipe(
    readEndpointHealth(env, {
      since: new Date(`${hours[0]}:00:00Z`),
      until: new Date(Date.parse(`${hours[hours.length - 1]}:00:00Z`) + HOUR_MS),
      keep: (e) => endpoints.has(e),
    }),
    TE.chain((stored) => {
      const sums = new Map(sumShards(stored).map((h) => [`${h.hour} ${h.endpoint}`, h]));
      // a touched hour whose shards are all gone (zeroed, expired) is zeroed too
      const rollups = [...touched].map(
        (k): HealthHour =>
          sums.get(k) ?? {
            endpoint: k.slice(k.indexOf(' ') + 1),
            hour: k.slice(0, k.indexOf(' ')),
            counters: {},
            lastOk: null,
            lastFail: null,
          },
      );
      return putHealthHours(env, rollups);
    }),
  );
};

/**
 * Replay: replaces stored buckets with recomputed ones (counters and markers as given; an
 * empty bucket zeroes one that should not count anything) and writes their index items; then
 * the roll-ups of the hours they touch, from every shard stored.
 */
export const putHealthBuckets = (env: Env, buckets: readonly HealthBucket[]): TE.TaskEither<StoreError, void> =>
  pipe(
    putHealthIndex(env, buckets),
    TE.chain(() =>
      pipe(
        chunks(
          buckets.map((b) => bucketPutAction(env.tableName, b, env.retentionDays).Put.Item ?? {}),
          BATCH_PUT_MAX,
        ),
        A.traverse(TE.ApplicativeSeq)((items) => batchPut(env, items)),
      ),
    ),
    TE.chain(() => sumStoredShards(env, buckets)),
  );
