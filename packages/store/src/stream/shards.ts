import type { Shard } from '@aws-sdk/client-dynamodb-streams';
import * as E from 'fp-ts/lib/Either.js';
import type { StreamsError } from './streamsError.js';
import type { Streams } from './streamsPort.js';

export type ShardInfo = {
  readonly shardId: string;
  readonly parentShardId: string | null;
  /** Set once the shard is closed (no new records will be added). */
  readonly endingSequenceNumber: string | null;
};

const infoOf = (s: Shard): ShardInfo | null =>
  s.ShardId === undefined
    ? null
    : {
        shardId: s.ShardId,
        parentShardId: s.ParentShardId ?? null,
        endingSequenceNumber: s.SequenceNumberRange?.EndingSequenceNumber ?? null,
      };

/** Every shard of the stream (DescribeStream pages through `LastEvaluatedShardId`). */
export const describeShards = async (
  streams: Streams,
  streamArn: string,
): Promise<E.Either<StreamsError, ShardInfo[]>> => {
  const out: ShardInfo[] = [];
  let start: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const r = await streams.describeStream({
      StreamArn: streamArn,
      ...(start !== undefined ? { ExclusiveStartShardId: start } : {}),
    })();
    if (E.isLeft(r)) return r;
    for (const s of r.right.StreamDescription?.Shards ?? []) {
      const info = infoOf(s);
      if (info !== null) out.push(info);
    }
    start = r.right.StreamDescription?.LastEvaluatedShardId;
    if (start === undefined) break;
  }
  return E.right(out);
};
