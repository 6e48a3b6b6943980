import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HealthBucket } from '@delivery-history/core';
import * as A from 'fp-ts/lib/Array.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { bucketPutAction, indexItem, type MarkerKind, markerAction } from '../health/healthActions.js';
import { send } from '../support/send.js';
import { chunks, traverseInWaves } from '../support/waves.js';
import { BATCH_PUT_MAX, batchPut } from './batchPut.js';

// Endpoint-health writes outside the AUDIT transaction (the counted part is in
// writeAuditStep): the window index and the newest success/failure markers, both idempotent,
// and replay's overwrite of recomputed buckets.

export type BucketShard = { readonly endpoint: string; readonly hour: string; readonly shard: number };

/** Index items of bucket shards (idempotent Puts, 25 a call): `readEndpointHealth` finds the buckets through them. */
export const putHealthIndex = (env: Env, buckets: readonly BucketShard[]): TE.TaskEither<StoreError, void> =>
  pipe(
    chunks(
      buckets.map((b) => indexItem(b.hour, b.shard, b.endpoint, env.retentionDays)),
      BATCH_PUT_MAX,
    ),
    A.traverse(TE.ApplicativeSeq)((items) => batchPut(env, items)),
    TE.map(() => undefined),
  );

export type HealthMarker = BucketShard & { readonly kind: MarkerKind; readonly marker: string };

const sendMarker = (env: Env, ctx: ErrorContext, m: HealthMarker): TE.TaskEither<StoreError, void> =>
  pipe(
    send(env, ctx, [`HOUR#${m.hour}`], () =>
      env.doc.send(new UpdateCommand(markerAction(env.tableName, m, m.kind, m.marker, env.retentionDays))),
    ),
    TE.map(() => undefined),
  );

/** Raises one marker (a max): a refused condition means a newer marker is stored, which is success. */
const raiseMarker = (env: Env, m: HealthMarker): TE.TaskEither<StoreError, void> =>
  pipe(
    sendMarker(env, { op: 'raiseHealthMarker' }, m),
    TE.orElse((e) => (isConditionFailure(e) ? TE.right(undefined) : TE.left(e))),
  );

/** Markers raised at once (a batch touching many endpoints has many). */
const MARKERS_IN_FLIGHT = 8;

/** Raises the newest success/failure markers of buckets (one conditional update each, 8 at a time). */
export const raiseHealthMarkers = (env: Env, markers: readonly HealthMarker[]): TE.TaskEither<StoreError, void> =>
  pipe(
    traverseInWaves(markers, MARKERS_IN_FLIGHT, (m) => raiseMarker(env, m)),
    TE.map(() => undefined),
  );

/**
 * Replay: replaces stored buckets with recomputed ones (counters and markers as given; an
 * empty bucket zeroes one that should not count anything) and writes their index items.
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
    TE.map(() => undefined),
  );
