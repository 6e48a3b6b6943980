import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createStateItem, DeliveryRequest, fold, seedOf, size } from '@delivery-history/core';
import { makeHandler, memoryTelemetry, sampleDriftCheck } from '@delivery-history/projector/testing';
import { makeProjectorDeps, type ProjectorDeps, projectMessages } from '@delivery-history/projector';
import { segmentBudget } from '@delivery-history/store/testing';
import { makeClients } from '@delivery-history/store';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { writeItems } from '@delivery-history/testkit/writeItems';
import { countCalls } from '@delivery-history/testkit/callCounter';
import { compareTrail } from '@delivery-history/testkit/trails';
import {
  attempt,
  attemptKeyed,
  attemptRecord,
  attempts,
  insertRecord,
  redrive,
  redriveKeyed,
  redriveRecord,
  shuffle,
} from './support/projectorFixtures.js';
import { instrumented } from './support/tableData.js';

type Ctx = { t: TestTable; deps: ProjectorDeps };
const Apply = suite<Ctx>('projectMessages against DynamoDB Local');

Apply.before(async (ctx) => {
  ctx.t = await useTestTable('projector-apply');
  ctx.deps = makeProjectorDeps({ doc: ctx.t.doc, tableName: ctx.t.tableName }, { sleep: async () => undefined });
});
Apply.after(async ({ t }) => {
  await t.drop();
});

const seed = async (t: TestTable, items: Record<string, unknown>[]) => writeItems(t.doc, t.tableName, items);

Apply('applies a batch: every trail equals rebuildAuditTrail', async ({ t, deps }) => {
  const a = attempts('ap-1', 4);
  const b = attempts('ap-2', 2, 'final');
  await seed(t, [...a, ...b].map(attemptKeyed));
  const report = await projectMessages(
    deps,
    [...a, ...b].map((x) => attemptRecord(x)),
  );
  assert.equal(report.failedSequenceNumbers, []);
  assert.is(report.messages.length, 2);
  for (const id of ['ap-1', 'ap-2']) {
    const c = await compareTrail(t.doc, t.tableName, id);
    assert.equal(c.trail.entries, c.expected);
    assert.is(c.trail.summary?.through, c.expected.length);
  }
});

Apply(
  'the same batch twice gives the same trail; the second is all duplicates and writes nothing but the health markers',
  async ({ t, deps }) => {
    const a = attempts('dup-1', 5);
    await seed(t, a.map(attemptKeyed));
    const records = a.map((x) => attemptRecord(x));
    await projectMessages(deps, records);
    const before = await compareTrail(t.doc, t.tableName, 'dup-1');
    const counted = instrumented(t.doc);
    const again = await projectMessages({ ...deps, doc: counted.doc }, records);
    const after = await compareTrail(t.doc, t.tableName, 'dup-1');
    assert.equal(after.trail.entries, before.trail.entries);
    assert.equal(after.trail.entries, after.expected);
    assert.is(again.messages[0]?.duplicates, 5);
    assert.is(again.messages[0]?.appended, 0);
    // the newest success/failure markers are raised again (a max: idempotent; this is what
    // heals a crash between the counted write and them) on the shard and on its endpoint-hour
    // roll-up; nothing else is written
    assert.ok((counted.counts.get('UpdateCommand') ?? 0) <= 4, 'at most one marker per kind, shard and roll-up');
    assert.is(counted.counts.get('PutCommand') ?? 0, 0);
    assert.is(counted.counts.get('TransactWriteCommand') ?? 0, 0);
  },
);

Apply('records shuffled within a message give the same trail', async ({ t, deps }) => {
  const a = attempts('shuf-1', 12, 'final');
  const r = redrive('shuf-1', 1, 12, 20);
  const more = [attempt('shuf-1', 13, 'retry'), attempt('shuf-1', 14, 'success')];
  await seed(t, [...a, ...more].map(attemptKeyed).concat([redriveKeyed(r)]));
  const records = [...a.map((x) => attemptRecord(x)), redriveRecord(r), ...more.map((x) => attemptRecord(x))];
  await projectMessages(deps, shuffle(records, 7).slice(0, 8));
  await projectMessages(deps, shuffle(records, 11));
  const c = await compareTrail(t.doc, t.tableName, 'shuf-1');
  assert.equal(c.trail.entries, c.expected);
  assert.is(c.trail.entries.length, 15);
  assert.is(c.trail.summary?.redrives, 1);
});

Apply('coalescing: a message with many records in a batch costs one write', async ({ t, deps }) => {
  const a = attempts('co-1', 9);
  const b = attempts('co-2', 3);
  await seed(t, [...a, ...b].map(attemptKeyed));
  const counted = instrumented(t.doc);
  await projectMessages(
    { ...deps, doc: counted.doc, driftCheckMaxAttempts: 0 },
    [...a, ...b].map((x) => attemptRecord(x)),
  );
  // the health counts ride in the trail's transaction; the markers are one update per bucket
  // shard and kind, and per endpoint-hour roll-up and kind, for the whole batch (not per record)
  const writes = (counted.counts.get('PutCommand') ?? 0) + (counted.counts.get('TransactWriteCommand') ?? 0);
  // one write per message at most; running together, the two share one transaction (stepBatcher.ts)
  assert.ok(writes >= 1 && writes <= 2, `12 records of 2 messages: ${writes} writes`);
  assert.ok((counted.counts.get('UpdateCommand') ?? 0) <= 6, 'markers: at most (2 shards + 1 roll-up) x 2 kinds');
});

Apply('a gap (lost or trimmed records) is healed from the table', async ({ t, deps }) => {
  const a = attempts('gap-1', 6);
  await seed(t, a.map(attemptKeyed));
  await projectMessages(deps, [attemptRecord(a[0] ?? attempt('x', 1, 'retry'))]);
  const report = await projectMessages(deps, [attemptRecord(a[5] ?? attempt('x', 1, 'retry'))]);
  assert.is(report.messages[0]?.healed, 4, 'attempts 2..5 read from the table');
  const c = await compareTrail(t.doc, t.tableName, 'gap-1');
  assert.equal(c.trail.entries, c.expected);
});

Apply('a redrive whose record is missing is found in the table and placed in order', async ({ t, deps }) => {
  const a = attempts('rd-1', 3, 'final');
  const r = redrive('rd-1', 1, 3, 6);
  const b = attempt('rd-1', 4, 'success');
  await seed(t, [...a, b].map(attemptKeyed).concat([redriveKeyed(r)]));
  await projectMessages(
    deps,
    [...a, b].map((x) => attemptRecord(x)),
  );
  const c = await compareTrail(t.doc, t.tableName, 'rd-1');
  assert.equal(c.trail.entries, c.expected);
  assert.equal(
    c.trail.entries.map((e) => ('kind' in e ? 'redrive' : e.n)),
    [1, 2, 3, 'redrive', 4],
  );
  const late = await projectMessages(deps, [redriveRecord(r)]);
  assert.is(late.messages[0]?.duplicates, 1, 'its record, arriving later, is a duplicate');
});

Apply('concurrent applies of one message cannot double-apply (conditional high-water mark)', async ({ t, deps }) => {
  const a = attempts('race-1', 30);
  await seed(t, a.map(attemptKeyed));
  const telemetry = memoryTelemetry();
  const d = { ...deps, telemetry };
  const records = a.map((x) => attemptRecord(x));
  await Promise.all([
    projectMessages(d, records.slice(0, 20)),
    projectMessages(d, records.slice(10)),
    projectMessages(d, shuffle(records, 3)),
  ]);
  const c = await compareTrail(t.doc, t.tableName, 'race-1');
  assert.equal(c.trail.entries, c.expected);
  assert.is(telemetry.counts.MessageFailures ?? 0, 0);
});

Apply('rolls to new segments by size; no stored segment exceeds its budget', async ({ t, deps }) => {
  const a = attempts('big-1', 150);
  await seed(t, a.map(attemptKeyed));
  const budget = segmentBudget({ headBytes: 1024, segmentBytes: 3072 });
  const d = { ...deps, budget, stepLimits: { maxStepBytes: 4096, maxNewSegments: 2 } };
  const records = a.map((x) => attemptRecord(x));
  for (let i = 0; i < records.length; i += 40) await projectMessages(d, records.slice(i, i + 40));
  const c = await compareTrail(t.doc, t.tableName, 'big-1');
  assert.equal(c.trail.entries, c.expected);
  assert.ok(c.trail.segments.length >= 6, `${c.trail.segments.length} segments`);
  assert.is(c.trail.summary?.segments, c.trail.segments.length);
  for (const s of c.trail.segments)
    assert.ok(s.bytes <= (s.segment === 0 ? 1024 : 3072), `segment ${s.segment}: ${s.bytes}`);
  const stored = c.items.filter((i) => String(i.sk).startsWith('AUDIT#'));
  const tail = stored[stored.length - 1];
  assert.is(
    tail !== undefined ? size.item(tail) <= (c.trail.summary?.tailBytes ?? 0) : false,
    true,
    'tailBytes bounds the tail',
  );
});

Apply('drift: a STATE that differs from fold(attempts) is logged and counted', async ({ t, deps }) => {
  const id = 'drift-1';
  const request = DeliveryRequest.decode({ messageId: id, url: 'https://hooks.example.com/in', body: 'hi' });
  if (E.isLeft(request)) throw new Error('bad request fixture');
  const created = createStateItem(request.right, { now: new Date(Date.UTC(2025, 0, 1)), defaultMaxAttempts: 8 });
  const a = [attempt(id, 1, 'retry'), attempt(id, 2, 'retry'), attempt(id, 3, 'retry')];
  const folded = fold(seedOf(created), a, []);
  if (E.isLeft(folded)) throw new Error('fixture does not fold');
  await seed(t, a.map(attemptKeyed));
  await t.doc.send(
    new PutCommand({
      TableName: t.tableName,
      Item: { pk: `MSG#${id}`, sk: 'STATE', ...folded.right, status: 'SUCCESS' },
    }),
  );
  const telemetry = memoryTelemetry();
  const report = await projectMessages(
    { ...deps, telemetry, driftCheckRate: 1 },
    a.map((x) => attemptRecord(x)),
  );
  assert.equal(report.messages[0]?.drift, { _tag: 'Checked', drift: ['status'] });
  assert.is(telemetry.counts.ProjectionDrift, 1);
  assert.ok(telemetry.entries.some((e) => e.level === 'warn' && e.message.startsWith('projection drift')));
  // the same STATE as fold says: no drift
  await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: `MSG#${id}`, sk: 'STATE', ...folded.right } }));
  const b = attempt(id, 4, 'success');
  const four = fold(seedOf(created), [...a, b], []);
  if (E.isLeft(four)) throw new Error('fixture does not fold');
  await seed(t, [attemptKeyed(b)]);
  await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: `MSG#${id}`, sk: 'STATE', ...four.right } }));
  const ok = await projectMessages({ ...deps, telemetry, driftCheckRate: 1 }, [attemptRecord(b)]);
  assert.equal(ok.messages[0]?.drift, { _tag: 'Checked', drift: [] });
  assert.is(telemetry.counts.ProjectionDrift, 1);
});

Apply('drift check is sampled: rate 0 never runs it, the default 1 % runs it about once in 100', async () => {
  const never = makeProjectorDeps({ doc: {} as ProjectorDeps['doc'], tableName: 'x' }, { driftCheckRate: 0 });
  assert.is(sampleDriftCheck(never, 3, 3), false);
  let r = 0;
  const seq = () => (r++ % 100) / 100;
  const sampled = makeProjectorDeps({ doc: {} as ProjectorDeps['doc'], tableName: 'x' }, { random: seq });
  assert.is(sampled.driftCheckRate, 0.01);
  const hits = Array.from({ length: 1000 }, () => sampleDriftCheck(sampled, 1, 1)).filter(Boolean).length;
  assert.is(hits, 10);
  assert.is(sampleDriftCheck({ ...sampled, driftCheckRate: 1 }, 0, 0), false, 'nothing appended: no check');
});

const stateOf = (id: string, n: number, redrives = 0): Record<string, unknown> => {
  const request = DeliveryRequest.decode({ messageId: id, url: 'https://hooks.example.com/in', body: 'hi' });
  if (E.isLeft(request)) throw new Error('bad request fixture');
  const created = createStateItem(request.right, { now: new Date(Date.UTC(2025, 0, 1)), defaultMaxAttempts: 8 });
  const folded = fold(seedOf(created), attempts(id, n), []);
  if (E.isLeft(folded)) throw new Error('fixture does not fold');
  return { pk: `MSG#${id}`, sk: 'STATE', ...folded.right, redrives };
};

Apply(
  'requests per message per batch (SDK middleware): shared reads and writes on the common path, REDRIVE# only when STATE says so',
  async ({ t, deps }) => {
    const ids = Array.from({ length: 20 }, (_, i) => `rq-${i}`);
    const all = ids.map((id) => attempts(id, 2));
    await seed(t, [...all.flat().map(attemptKeyed), ...ids.map((id) => stateOf(id, 2))]);
    const clients = makeClients({ endpoint: t.endpoint });
    const counter = countCalls(clients.client);
    try {
      const d = { ...deps, doc: clients.doc, driftCheckRate: 0 };
      // first batch: attempt 1 of every message; second: attempt 2 (the head exists now)
      for (const n of [0, 1]) {
        counter.reset();
        const report = await projectMessages(
          d,
          all.map((a) => attemptRecord(a[n] ?? attempt('x', 1, 'retry'))),
        );
        assert.equal(report.failedSequenceNumbers, []);
        // endpoint health adds per batch (not per message): the window index once per bucket
        // shard per process (BatchWriteItem, first batch), a marker per bucket shard and kind
        const health = counter.calls('BatchWriteItem') + counter.calls('UpdateItem');
        // the reads and writes of applies running together are shared (applyIo.ts): one
        // BatchGetItem and one transaction per round of `concurrency` messages, not per message
        const perMessage = (counter.total() - health) / ids.length;
        const rounds = Math.ceil(ids.length / d.concurrency);
        assert.ok(perMessage <= 0.5, `batch ${n + 1}: ${perMessage} requests per message`);
        assert.ok(
          counter.calls('TransactWriteItems') <= 2 * rounds,
          `${counter.calls('TransactWriteItems')} transactions for ${ids.length} messages`,
        );
        assert.ok(counter.calls('BatchGetItem') <= 2 * rounds, `${counter.calls('BatchGetItem')} BatchGetItem calls`);
        assert.ok(counter.calls('UpdateItem') <= 2 * deps.healthShards, 'markers coalesced per batch');
        assert.ok(counter.calls('BatchWriteItem') <= (n === 0 ? deps.healthShards : 0), 'index once per process');
        assert.is(counter.calls('Query'), 0, 'no REDRIVE# Query, no drift check');
      }
      // STATE counts a redrive the trail does not have: the Query runs and finds it
      const id = 'rq-redrive';
      const a = attempts(id, 3, 'final');
      const r = redrive(id, 1, 3, 6);
      await seed(t, [...a.map(attemptKeyed), redriveKeyed(r), stateOf(id, 3, 1)]);
      counter.reset();
      const one = await projectMessages(
        d,
        a.map((x) => attemptRecord(x)),
      );
      assert.is(counter.calls('Query'), 1, 'the REDRIVE# Query');
      assert.is(one.messages[0]?.redrives, 1, 'the redrive (no record in the batch) is applied');
      const c = await compareTrail(t.doc, t.tableName, id);
      assert.equal(c.trail.entries, c.expected);
      // the redrive's own record carried in the batch: no Query needed
      const id2 = 'rq-redrive-2';
      const a2 = attempts(id2, 3, 'final');
      const r2 = redrive(id2, 1, 3, 6);
      await seed(t, [...a2.map(attemptKeyed), redriveKeyed(r2), stateOf(id2, 3, 1)]);
      counter.reset();
      await projectMessages(d, [...a2.map((x) => attemptRecord(x)), redriveRecord(r2)]);
      assert.is(counter.calls('Query'), 0);
      const markers = () => counter.calls('UpdateItem') + counter.calls('BatchWriteItem');
      assert.is(counter.total() - markers(), 2);
      // sampled drift check (rate 1): one Query of the attempts on top
      const id3 = 'rq-drift';
      const a3 = attempts(id3, 2);
      await seed(t, [...a3.map(attemptKeyed), stateOf(id3, 2)]);
      counter.reset();
      const checked = await projectMessages(
        { ...d, driftCheckRate: 1 },
        a3.map((x) => attemptRecord(x)),
      );
      assert.equal(checked.messages[0]?.drift, { _tag: 'Checked', drift: [] });
      assert.is(counter.total() - markers(), 3);
    } finally {
      counter.uninstall();
      clients.destroy();
    }
  },
);

Apply.run();

const Handler = suite<Ctx>('Lambda handler');

Handler.before(async (ctx) => {
  ctx.t = await useTestTable('projector-handler');
  ctx.deps = makeProjectorDeps({ doc: ctx.t.doc, tableName: ctx.t.tableName }, { sleep: async () => undefined });
});
Handler.after(async ({ t }) => {
  await t.drop();
});

const event = (records: unknown[]): DynamoDBStreamEvent => ({ Records: records }) as DynamoDBStreamEvent;

Handler('a malformed record is reported in batchItemFailures; the rest is applied', async ({ t, deps }) => {
  const a = attempts('h-1', 3);
  await seed(t, a.map(attemptKeyed));
  const bad = insertRecord(
    { pk: 'MSG#h-bad', sk: 'ATTEMPT#000001', type: 'ATTEMPT', junk: 1 },
    '5000000000000000000001',
  );
  const records = [attemptRecord(a[0] ?? attempt('x', 1, 'retry')), bad, ...a.slice(1).map((x) => attemptRecord(x))];
  const telemetry = memoryTelemetry();
  const r = await makeHandler({ ...deps, telemetry })(event(records));
  assert.equal(r.batchItemFailures, [{ itemIdentifier: '5000000000000000000001' }]);
  const c = await compareTrail(t.doc, t.tableName, 'h-1');
  assert.equal(c.trail.entries, c.expected);
  assert.ok(
    telemetry.entries.some((e) => e.level === 'error' && e.attributes.sequenceNumber === '5000000000000000000001'),
  );
});

Handler(
  'a message whose writes keep failing has its records reported, lowest first; others are applied',
  async ({ t, deps }) => {
    const a = attempts('h-ok', 2);
    const b = attempts('h-throttled', 2);
    await seed(t, [...a, ...b].map(attemptKeyed));
    const throttle = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    const faulty = instrumented(t.doc, (cmd) =>
      JSON.stringify(cmd.input).includes('MSG#h-throttled') && cmd.constructor.name === 'TransactWriteCommand'
        ? throttle
        : undefined,
    );
    const records = [...a, ...b].map((x, i) => attemptRecord(x, String(7000 + i)));
    const r = await makeHandler({ ...deps, doc: faulty.doc })(event(records));
    assert.equal(r.batchItemFailures, [{ itemIdentifier: '7002' }, { itemIdentifier: '7003' }]);
    // together (throttled: the store's retries), then each alone: the ok one, the throttled tries;
    // or, when one reached its write 50 ms after the other, each alone from the start
    const tries = 1 + deps.retry.maxRetries;
    const sent = faulty.counts.get('TransactWriteCommand') ?? 0;
    assert.ok(sent === tries + 1 + tries || sent === 1 + tries, `${sent} transactions`);
    assert.equal((await compareTrail(t.doc, t.tableName, 'h-ok')).trail.entries.length, 2);
    // redelivered, the failed records go through
    const again = await makeHandler(deps)(event(records.slice(2)));
    assert.equal(again.batchItemFailures, []);
    const c = await compareTrail(t.doc, t.tableName, 'h-throttled');
    assert.equal(c.trail.entries, c.expected);
  },
);

Handler('the exported handler reads the environment on first use and projects', async ({ t }) => {
  process.env.DELIVERY_TABLE_NAME = t.tableName;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = t.endpoint;
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const { handler } = await import('../src/lambda.js');
  const a = attempts('h-env', 2);
  await seed(t, a.map(attemptKeyed));
  const r = await handler(event(a.map((x) => attemptRecord(x))));
  assert.equal(r.batchItemFailures, []);
  const c = await compareTrail(t.doc, t.tableName, 'h-env');
  assert.equal(c.trail.entries, c.expected);
});

Handler.run();
