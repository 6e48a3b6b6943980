// One endpoint identity end to end (issue 23): `http://h.example./`, `http://H.Example:80/`
// and `https://h.example:443/` delivered by the real worker against DynamoDB Local are one
// endpoint in the byEndpoint index (read by any spelling of the filter), in endpoint health
// (the real projector's buckets) and for core's filter; an item an older writer keyed
// `h.example.` (index key and health bucket) is still found and counted.
import { makeRetryPolicy } from '@delivery-history/core';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { endpointHealthOf, hourOf, parseEndpointFilter } from '@delivery-history/core';
import { endpointMatches } from '@delivery-history/core/testing';
import { type Store, tableKeys } from '@delivery-history/store';
import { endpointPartition, endpointShardOf } from '@delivery-history/store/testing';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { projectAll } from '../../cli/test/support/projectAll.js';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { harness, run, sqsEvent, sqsRecord, testHttp, testStore, uniqueId } from './support/workerRig.js';

type Ctx = { t: TestTable; store: Store };
const One = suite<Ctx>('worker: one endpoint identity');

One.before(async (ctx) => {
  ctx.t = await useTestTable('worker-one-endpoint');
  ctx.store = testStore(ctx.t);
});
One.after(async (ctx) => ctx.t.drop());

/** Every name resolves to 127.0.0.1 (allowed), where nothing answers on 80 or 443: a quick ECONNREFUSED. */
const loopback = async () => [{ address: '127.0.0.1', family: 4 }];

const URLS = ['http://h.example./', 'http://H.Example:80/', 'https://h.example:443/hook'];

const idsOf = async (store: Store, endpoint: string): Promise<string[]> =>
  (await run(store.queryByEndpoint({ endpoint, limit: 100 }))).items.map((s) => s.messageId).sort();

One('index, health and filter see one endpoint; an old trailing-dot key is still read and counted', async (ctx) => {
  const h = harness(
    testStore(ctx.t, { retryPolicy: makeRetryPolicy({ maxAttempts: 1, baseMs: 1_000, maxMs: 4_000 }) }),
    {
      http: testHttp({ resolve: loopback }),
    },
  );
  const ids = URLS.map(() => uniqueId('one-ep'));
  const old = uniqueId('one-ep-old');
  await h.handler(
    sqsEvent([...URLS, URLS[0] ?? ''].map((url, i) => sqsRecord({ messageId: ids[i] ?? old, url, body: '{}' }))),
  );
  for (const id of ids) assert.is((await run(ctx.store.getState(id))).endpoint, 'h.example', id);
  // what the code before issue 23 stored for http://h.example./ (endpoint and index key)
  await ctx.t.doc.send(
    new UpdateCommand({
      TableName: ctx.t.tableName,
      Key: tableKeys.stateKey(old),
      UpdateExpression: 'SET endpoint = :e, gsi2pk = :pk',
      ExpressionAttributeValues: { ':e': 'h.example.', ':pk': endpointPartition('h.example.', endpointShardOf(old)) },
    }),
  );
  const all = [...ids, old].sort();

  // the index, by any spelling of the endpoint
  for (const spelling of ['h.example', 'H.Example.', 'h.example:80', 'h.example.:443'])
    assert.equal(await idsOf(ctx.store, spelling), all, spelling);
  assert.equal(await idsOf(ctx.store, 'h.example:8080'), [], 'another port is another endpoint');

  // the filter (what `--endpoint` runs): every stored form matches
  const summaries = (await run(ctx.store.queryByEndpoint({ endpoint: 'h.example', limit: 100 }))).items;
  for (const text of ['h.example.', 'H.EXAMPLE:80']) {
    const f = parseEndpointFilter(text);
    if (E.isLeft(f)) throw new Error(f.left);
    assert.equal(summaries.filter((s) => endpointMatches(f.right, s.endpoint)).length, all.length, text);
  }

  // endpoint health: the projector's buckets, plus one an older projector keyed `h.example.`
  await projectAll(ctx.t);
  const now = new Date();
  const hour = hourOf(now.toISOString());
  await run(
    ctx.store.putHealthBuckets([
      { endpoint: 'h.example.', hour, shard: 0, counters: { n: 1, c_network: 1 }, lastOk: null, lastFail: null },
    ]),
  );
  const buckets = await run(
    ctx.store.readEndpointHealth({
      since: new Date(now.getTime() - 3_600_000),
      until: new Date(now.getTime() + 60_000),
    }),
  );
  const rows = endpointHealthOf(buckets);
  assert.equal(
    rows.map((r) => [r.endpoint, r.deliveries]),
    [['h.example', all.length + 1]],
    'one row: the four deliveries and the old bucket',
  );
});

One.run();
