import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sleep } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { latestStreamArn } from '../ensureTable.js';
import { unmarshallStreamImage } from '../support/streamImage.js';

// ---------------------------------------------------------------------------
// model: new items as they are written, read from the table's stream (read-only: no
// checkpoint, nothing projected). For `dh tail`.
// ---------------------------------------------------------------------------

export type StreamTail = {
  /** The NEW_IMAGEs of INSERTs since the last call (waits up to `pollMs` when there are none). */
  next(): Promise<ReadonlyArray<Record<string, unknown>>>;
};

export type TailStreamInput = {
  readonly client: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  /** Wait between empty reads. */
  readonly pollMs?: number;
  /** How often the shard list is refreshed (shards split and close). */
  readonly refreshMs?: number;
};

/** The new images of INSERT records, unmarshalled (records that are not items are skipped). */
const insertedImages = (records: ReadonlyArray<_Record>): Record<string, unknown>[] =>
  records.flatMap((rec) => {
    const image = rec.dynamodb?.NewImage;
    if (rec.eventName !== 'INSERT' || image === undefined) return [];
    const item = unmarshallStreamImage(image as Record<string, unknown>);
    return E.isRight(item) ? [item.right] : [];
  });

const allShards = async (streams: DynamoDBStreamsClient, arn: string): Promise<Shard[]> => {
  const out: Shard[] = [];
  let start: string | undefined;
  do {
    const d = await streams.send(
      new DescribeStreamCommand({ StreamArn: arn, ...(start !== undefined ? { ExclusiveStartShardId: start } : {}) }),
    );
    out.push(...(d.StreamDescription?.Shards ?? []));
    start = d.StreamDescription?.LastEvaluatedShardId;
  } while (start !== undefined);
  return out;
};

// ---------------------------------------------------------------------------
// operation
// ---------------------------------------------------------------------------

/**
 * Starts at the stream's end (LATEST) of every open shard; a shard opened later (a split,
 * a child of a closed one) is read from its start, so nothing written after the call is
 * missed. Rejects when the table has no stream.
 */
export const tailStream = async (input: TailStreamInput): Promise<StreamTail> => {
  const arn = await latestStreamArn(input.client, input.tableName);
  if (arn === undefined) throw new Error(`table "${input.tableName}" has no stream`);
  const pollMs = input.pollMs ?? 250;
  const refreshMs = input.refreshMs ?? 10_000;
  const iterators = new Map<string, string | null>();
  const iteratorOf = async (shardId: string, type: 'LATEST' | 'TRIM_HORIZON') =>
    (
      await input.streams.send(
        new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: type }),
      )
    ).ShardIterator ?? null;
  const refresh = async (first: boolean): Promise<void> => {
    for (const s of await allShards(input.streams, arn)) {
      const id = s.ShardId;
      if (id === undefined || iterators.has(id)) continue;
      const open = s.SequenceNumberRange?.EndingSequenceNumber === undefined;
      if (first && !open) iterators.set(id, null);
      else iterators.set(id, await iteratorOf(id, first ? 'LATEST' : 'TRIM_HORIZON'));
    }
  };
  await refresh(true);
  let refreshedAt = Date.now();
  const read = async (): Promise<Record<string, unknown>[]> => {
    const images: Record<string, unknown>[] = [];
    for (const [id, it] of iterators) {
      if (it === null) continue;
      const r = await input.streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }));
      iterators.set(id, r.NextShardIterator ?? null);
      images.push(...insertedImages(r.Records ?? []));
    }
    return images;
  };
  return {
    next: async () => {
      if (Date.now() - refreshedAt > refreshMs || [...iterators.values()].every((v) => v === null)) {
        await refresh(false);
        refreshedAt = Date.now();
      }
      const images = await read();
      if (images.length === 0) await sleep(pollMs);
      return images;
    },
  };
};
