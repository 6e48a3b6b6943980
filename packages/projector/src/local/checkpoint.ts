import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeWith, IsoTimestamp } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';

// ---------------------------------------------------------------------------
// Where a poller resumes. Kept in the table itself (`pk=PROJECTOR#<streamArn>`,
// `sk=SHARD#<shardId>`): it lives and dies with the table and its stream (a recreated
// table has a new stream ARN, so stale positions are never reused), needs no writable
// disk, and every process that sees the table (CLI demo, tests, a restarted poller) sees
// the same position. Its own writes reach the stream too; they fail the stream filter, and
// the poller writes a checkpoint only after a batch with projector records (or after many
// ignored ones), so they cannot keep it busy.
// ---------------------------------------------------------------------------

export type ShardCheckpoint = {
  /** Last sequence number fully processed; null: none yet. */
  readonly sequenceNumber: string | null;
  /** The shard is closed and fully processed. */
  readonly ended: boolean;
};

export type CheckpointStore = {
  load(shardId: string): Promise<ShardCheckpoint | null>;
  save(shardId: string, checkpoint: ShardCheckpoint): Promise<void>;
};

export const CHECKPOINT_PREFIX = 'PROJECTOR#';

export const checkpointKey = (streamArn: string, shardId: string): { pk: string; sk: string } => ({
  pk: `${CHECKPOINT_PREFIX}${streamArn}`,
  sk: `SHARD#${shardId}`,
});

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

/** Checkpoints in the table (the default). Throws on DynamoDB or decode errors (the poller retries). */
export const tableCheckpoint = (o: {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly streamArn: string;
  readonly clock?: () => Date;
}): CheckpointStore => ({
  load: async (shardId) => {
    const r = await o.doc.send(
      new GetCommand({ TableName: o.tableName, Key: checkpointKey(o.streamArn, shardId), ConsistentRead: true }),
    );
    if (r.Item === undefined) return null;
    const d = decodeWith(CheckpointItem, r.Item);
    if (E.isLeft(d)) throw new Error(`checkpoint of shard ${shardId}: ${d.left.message}`);
    return { sequenceNumber: d.right.sequenceNumber, ended: d.right.ended };
  },
  save: async (shardId, cp) => {
    await o.doc.send(
      new PutCommand({
        TableName: o.tableName,
        // one poller per stream: a plain Put (a second poller would only redo idempotent work)
        Item: {
          ...checkpointKey(o.streamArn, shardId),
          type: 'CHECKPOINT',
          streamArn: o.streamArn,
          shardId,
          sequenceNumber: cp.sequenceNumber,
          ended: cp.ended,
          updatedAt: (o.clock ?? (() => new Date()))().toISOString(),
        },
      }),
    );
  },
});

/** In-process checkpoints (tests, throwaway runs). */
export const memoryCheckpoint = (): CheckpointStore & { readonly positions: Map<string, ShardCheckpoint> } => {
  const positions = new Map<string, ShardCheckpoint>();
  return {
    positions,
    load: async (shardId) => positions.get(shardId) ?? null,
    save: async (shardId, cp) => {
      positions.set(shardId, cp);
    },
  };
};
