import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { TABLE } from '@delivery-history/store';
import * as assert from 'uvu/assert';
import { tableSuite } from '@delivery-history/testkit/suiteWith';

const RoundTrip = tableSuite('table from the shared definition', 'roundtrip');

RoundTrip('creates keys, indexes and the stream as defined', async ({ t }) => {
  const { Table } = await t.client.send(new DescribeTableCommand({ TableName: t.tableName }));
  assert.equal(
    Table?.KeySchema?.map((k) => k.AttributeName),
    [TABLE.partitionKey.name, TABLE.sortKey.name],
  );
  assert.equal(
    (Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort(),
    TABLE.globalSecondaryIndexes.map((i) => i.indexName).sort(),
  );
  assert.is(Table?.StreamSpecification?.StreamViewType, 'NEW_IMAGE');
});

RoundTrip('puts and reads an item, and the stream carries it', async ({ t }) => {
  await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: 'MSG#a', sk: 'STATE', n: 1 } }));
  const got = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: 'MSG#a', sk: 'STATE' } }));
  assert.equal(got.Item, { pk: 'MSG#a', sk: 'STATE', n: 1 });
  const desc = await t.streams.send(new DescribeStreamCommand({ StreamArn: t.streamArn }));
  const shard = desc.StreamDescription?.Shards?.[0];
  assert.ok(shard?.ShardId, 'the table has a stream shard');
  const it = await t.streams.send(
    new GetShardIteratorCommand({ StreamArn: t.streamArn, ShardId: shard?.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const recs = await t.streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
  const inserted = (recs.Records ?? []).find((r) => r.eventName === 'INSERT');
  assert.is(inserted?.dynamodb?.NewImage?.pk?.S, 'MSG#a');
});

RoundTrip.run();
