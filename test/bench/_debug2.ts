import { startDynamoLocal } from '@delivery-history/store';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeStreamCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { makeBenchContext } from './support/context.js';

const d = await startDynamoLocal();
try {
  const ctx = makeBenchContext(d.endpoint, console.log);
  const t = await ctx.table('dbg');
  await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: 'a', sk: 'b', m: {}, l: [], n: null } }));
  const desc = await t.streams.send(new DescribeStreamCommand({ StreamArn: t.streamArn }));
  const sh = desc.StreamDescription?.Shards?.[0]?.ShardId;
  const it = await t.streams.send(new GetShardIteratorCommand({ StreamArn: t.streamArn, ShardId: sh, ShardIteratorType: 'TRIM_HORIZON' }));
  const res = await fetch(d.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDBStreams_20120810.GetRecords', authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=x' }, body: JSON.stringify({ ShardIterator: it.ShardIterator }) });
  console.log(res.status, await res.text());
  await t.drop();
} finally {
  await d.stop();
}
