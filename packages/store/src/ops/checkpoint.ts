import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { IsoTimestamp } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { checkpointKey } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';

// Where the local stream poller resumes, kept in the table itself (`PROJECTOR#<streamArn>` /
// `SHARD#<shardId>`): it lives and dies with the table and its stream (a recreated table has
// a new stream ARN, so stale positions are never reused), needs no writable disk, and every
// process that sees the table sees the same position.

export type ShardCheckpoint = {
  /** Last sequence number fully processed; null: none yet. */
  readonly sequenceNumber: string | null;
  /** The shard is closed and fully processed. */
  readonly ended: boolean;
};

const CheckpointItem = t.type(
  {
    type: t.literal('CHECKPOINT'),
    shardId: t.string,
    sequenceNumber: t.union([t.string, t.null]),
    ended: t.boolean,
    updatedAt: IsoTimestamp,
  },
  'CheckpointItem',
);

/** The checkpoint of one shard of `streamArn`, or null when none was written. */
export const getCheckpoint = (
  env: Env,
  streamArn: string,
  shardId: string,
): TE.TaskEither<StoreError, ShardCheckpoint | null> => {
  const key = checkpointKey(streamArn, shardId);
  const ctx: ErrorContext = { op: 'getCheckpoint', item: key.sk };
  return pipe(
    send(env, ctx, [key.sk], () =>
      env.doc.send(new GetCommand({ TableName: env.tableName, Key: key, ConsistentRead: true })),
    ),
    TE.chainEitherK(
      (out): E.Either<StoreError, ShardCheckpoint | null> =>
        out.Item === undefined
          ? E.right(null)
          : pipe(
              decodeItem(CheckpointItem, out.Item, ctx),
              E.map((c) => ({ sequenceNumber: c.sequenceNumber, ended: c.ended })),
            ),
    ),
  );
};

/** Records how far a shard was processed. */
export const putCheckpoint = (
  env: Env,
  streamArn: string,
  shardId: string,
  checkpoint: ShardCheckpoint,
): TE.TaskEither<StoreError, void> => {
  const key = checkpointKey(streamArn, shardId);
  const ctx: ErrorContext = { op: 'putCheckpoint', item: key.sk };
  return pipe(
    send(env, ctx, [key.sk], () =>
      env.doc.send(
        new PutCommand({
          TableName: env.tableName,
          // one poller per stream: a plain Put (a second poller would only redo idempotent work)
          Item: {
            ...key,
            type: 'CHECKPOINT',
            streamArn,
            shardId,
            sequenceNumber: checkpoint.sequenceNumber,
            ended: checkpoint.ended,
            updatedAt: env.clock().toISOString(),
          },
        }),
      ),
    ),
    TE.map(() => undefined),
  );
};
