// Issue 29: the hand-off of an observed outcome (DynamoDB down after the request went out) is
// bounded below the queue's limit through the real handler: trimmed to fit and recorded from
// the trimmed copy; above it even trimmed, not sent (the record stays, as when SQS is down).
import { makeRetryPolicy } from '@delivery-history/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type FaultController, installFaults } from '@delivery-history/testkit/faults';
import { type Receivers, startReceivers } from '@delivery-history/devkit';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { harness, recordingOutbox, run, sqsEvent, sqsRecord, testStore, uniqueId } from './support/workerRig.js';

type Ctx = { t: TestTable; rx: Receivers; faults: FaultController };
const Bound = suite<Ctx>('hand-off bound');

Bound.before(async (ctx) => {
  ctx.t = await useTestTable('worker-handoff-bound');
  ctx.rx = await startReceivers();
  ctx.faults = installFaults(ctx.t.client);
});
Bound.after(async (ctx) => {
  ctx.faults.uninstall();
  await ctx.rx.close();
  await ctx.t.drop();
});

const storeOf = (t: TestTable) =>
  testStore(t, { retry: { maxRetries: 0 }, retryPolicy: makeRetryPolicy({ baseMs: 60_000, maxMs: 60_000 }) });

Bound('over the bound: the snippet is cut to fit, the trimmed copy is sent and recorded', async ({ t, rx, faults }) => {
  const sqs = recordingOutbox();
  const store = storeOf(t);
  const messageId = uniqueId('handoff-trim');
  const request = { messageId, url: rx.url('/stream/20000'), correlationId: 'handoff', body: '{"a":1}' };
  // room for the request and the exchange with 1,000 bytes of snippet (the worker keeps 4,096)
  const maxBytes = Buffer.byteLength(JSON.stringify(request), 'utf8') + 1_900;
  const h = harness(store, { leaseMs: 60_000, outbox: sqs.outbox, handoffMaxBytes: maxBytes });
  try {
    faults.plan('TransactWriteItems', ['internal']);
    const res = await h.handler(sqsEvent([sqsRecord(request)]));
    assert.equal(res.batchItemFailures, []);
    assert.is(sqs.sent.length, 1);
    const body = sqs.sent[0]?.body ?? '';
    assert.ok(Buffer.byteLength(body, 'utf8') <= maxBytes, `${Buffer.byteLength(body, 'utf8')} > ${maxBytes}`);
    const snippet: string = JSON.parse(body).observed.observation.bodySnippet;
    assert.ok(snippet.endsWith('[truncated]') && snippet.length < 4_096, `snippet of ${snippet.length}`);
    assert.ok(h.logger.entries.some((e) => e.message === 'observed outcome trimmed to fit the queue'));
    // the trimmed copy comes back and is recorded with the receiver's real status
    await h.handler(sqsEvent([sqsRecord(body)]));
    const hist = await run(store.getHistory(messageId));
    assert.is(hist.attempts.length, 1);
    assert.is(hist.state.status, 'SUCCESS');
    assert.is(rx.count('/stream'), 1, 'sent once');
  } finally {
    await h.http.close();
  }
});

Bound(
  'a request that leaves no room: not sent, the record stays for the takeover to record as lost',
  async ({ t, rx, faults }) => {
    const sqs = recordingOutbox();
    const h = harness(storeOf(t), { leaseMs: 60_000, outbox: sqs.outbox, handoffMaxBytes: 200 });
    try {
      const messageId = uniqueId('handoff-refused');
      const record = sqsRecord({ messageId, url: rx.url('/ok'), correlationId: 'handoff', body: 'x'.repeat(300) });
      faults.plan('TransactWriteItems', ['internal']);
      const res = await h.handler(sqsEvent([record]));
      assert.equal(res.batchItemFailures, [{ itemIdentifier: record.messageId }]);
      assert.is(sqs.sent.length, 0);
      assert.is(h.metrics.sum('OutcomesNotSent'), 1);
      const line = h.logger.entries.find((e) => e.message.includes('too large to hand off through SQS'));
      assert.match(String(line?.attributes.reason), /exceeds the queue's 200/);
    } finally {
      await h.http.close();
    }
  },
);

Bound.run();
