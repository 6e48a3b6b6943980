import { performance } from 'node:perf_hooks';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoLocal } from '@delivery-history/store';
import { makeBenchContext } from './support/context.js';
import { shapeMessage } from './support/fixtures.js';
import { bulkLoad } from './support/loader.js';

const d = await startDynamoLocal();
try {
  const ctx = makeBenchContext(d.endpoint, console.log);
  const t = await ctx.table('dbg');
  const pre = Array.from({ length: 2000 }, (_, i) => shapeMessage(`m-${i}`, new Date(), [200]).items);
  let t0 = performance.now();
  let n = await bulkLoad(t.doc, t.tableName, { from: 0, to: 2000 }, (i) => pre[i] ?? [], 12);
  console.log('shaped items', n, ((n / (performance.now() - t0)) * 1000).toFixed(0), 'items/s');
  t0 = performance.now();
  n = await bulkLoad(t.doc, t.tableName, { from: 0, to: 6000 }, (i) => [{ pk: `x-${i}`, sk: 'S', v: 'y'.repeat(500) }], 12);
  console.log('small items', n, ((n / (performance.now() - t0)) * 1000).toFixed(0), 'items/s');
  await t.client.send(new CreateTableCommand({ TableName: 'plain', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] }));
  t0 = performance.now();
  n = await bulkLoad(t.doc, 'plain', { from: 0, to: 2000 }, (i) => pre[i] ?? [], 12);
  console.log('shaped items, no GSI/stream', n, ((n / (performance.now() - t0)) * 1000).toFixed(0), 'items/s');
  await t.drop();
} finally {
  await d.stop();
}
