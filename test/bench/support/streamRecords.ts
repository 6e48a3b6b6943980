import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';

// Every record of a table's stream so far, shard by shard in stream order (a message's
// records stay in order: one partition key lives in one shard). Stops at the first empty
// read of each shard (DynamoDB Local's open shards never end).

export const readWholeStream = async (streams: DynamoDBStreamsClient, streamArn: string): Promise<_Record[]> => {
  const out: _Record[] = [];
  const desc = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  for (const shard of desc.StreamDescription?.Shards ?? []) {
    const it = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    let iterator = it.ShardIterator;
    for (let reads = 0; iterator !== undefined && reads < 100_000; reads++) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const records = page.Records ?? [];
      if (records.length === 0) break;
      out.push(...records);
      iterator = page.NextShardIterator;
    }
  }
  return out;
};
