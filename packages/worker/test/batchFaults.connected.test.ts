// A batch with one undecodable body, one DynamoDB failure (SDK-level fault injection) and
// eight good records: exactly the right batchItemFailures, and nothing is lost. Also: a
// broken or hanging SQS never holds the batch.
import { setTimeout as sleep } from 'node:timers/promises';
import { makeRetryPolicy } from '@delivery-history/core';
import type { Store } from '@delivery-history/store';
import * as assert from 'uvu/assert';
import { type FaultController, installFaults } from '@delivery-history/testkit/faults';
import {
  harness,
  recordingOutbox,
  recordingVisibility,
  run,
  sqsEvent,
  sqsRecord,
  testStore,
  uniqueId,
  workerSuite,
} from './support/workerRig.js';

// No store-level retries: one injected fault is one failed DynamoDB call the worker sees.
const Batch = workerSuite<{ faults: FaultController }>('batch with poison and DynamoDB failures', 'worker-batch', {
  retry: { maxRetries: 0 },
});
Batch.before((ctx) => {
  ctx.faults = installFaults(ctx.t.client);
});
Batch.after((ctx) => {
  ctx.faults.uninstall();
});
Batch.before.each(({ faults, rx }) => {
  faults.clear();
  rx.clear();
});

const statusOf = async (store: Store, messageId: string): Promise<string> => {
  const r = await store.getState(messageId)();
  return r._tag === 'Right' ? r.right.status : r.left._tag;
};

// The hot path's first DynamoDB call is the upsert-and-claim (one UpdateItem, no PutItem).
for (const [fault, command] of [
  ['internal', 'UpdateItem'],
  ['throttle', 'UpdateItem'],
] as const) {
  Batch(
    `poison + ${fault} on ${command} + 8 good: exactly those two fail, nothing is lost`,
    async ({ store, rx, faults }) => {
      const h = harness(store);
      try {
        const good = Array.from({ length: 9 }, () => uniqueId(`good-${fault}`));
        const records = good.map((messageId) => sqsRecord({ messageId, url: rx.url('/ok'), body: '{}' }));
        const poison = sqsRecord('{"messageId":');
        faults.plan(command, [fault]);
        const res = await h.handler(sqsEvent([records[0], poison, ...records.slice(1)].filter((r) => r !== undefined)));
        assert.is(faults.injected.length, 1, 'the fault fired once');

        const failed = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
        assert.is(failed.size, 2);
        assert.ok(failed.has(poison.messageId), 'the poison record is reported');
        const statuses = await Promise.all(good.map((id) => statusOf(store, id)));
        const hit = good.filter((_, i) => statuses[i] !== 'SUCCESS');
        assert.is(hit.length, 1, `exactly one message hit the fault: ${statuses.join(',')}`);
        const hitRecord = records[good.indexOf(hit[0] ?? '')];
        assert.ok(hitRecord !== undefined && failed.has(hitRecord.messageId), 'the DynamoDB failure is reported');
        assert.is(rx.count('/ok'), 8, 'the faulted record sent no HTTP request');
        // poison: visibility 0 (to the DLQ via maxReceiveCount); store failure: left to SQS's timeout
        assert.equal(
          h.visibility.calls.map((c) => [c.messageId, c.delayMs]),
          [[poison.messageId, 0]],
        );
        assert.is(h.metrics.sum('DynamoDBErrors'), 1);
        assert.is(h.metrics.sum('PoisonRecords'), 1);
        const err = h.logger.entries.find((e) => e.message.startsWith('store unavailable'));
        assert.is(err?.attributes.messageId, hit[0]);
        assert.ok(err?.attributes.correlationId !== undefined);

        // SQS brings the failed record back: it is delivered, nothing lost
        if (hitRecord === undefined) return;
        // (these faults answer instead of DynamoDB: nothing was written, no lease to wait out)
        const again = await h.handler(sqsEvent([{ ...hitRecord, receiptHandle: `${hitRecord.receiptHandle}-2` }]));
        assert.equal(again.batchItemFailures, []);
        assert.is(await statusOf(store, hit[0] ?? ''), 'SUCCESS');
        assert.is(rx.count('/ok'), 9);
      } finally {
        await h.http.close();
      }
    },
  );
}

Batch(
  'append fails after the HTTP request, SQS down too: the record returns and the takeover records it as lost',
  async ({ store, rx, faults }) => {
    const h = harness(store, { leaseMs: 2_000, outbox: recordingOutbox(true).outbox });
    try {
      const messageId = uniqueId('append-fail');
      const record = sqsRecord({ messageId, url: rx.url('/ok') });
      faults.plan('TransactWriteItems', ['internal']);
      const res = await h.handler(sqsEvent([record]));
      assert.equal(res.batchItemFailures, [{ itemIdentifier: record.messageId }]);
      assert.is(rx.count('/ok'), 1);
      assert.ok(
        h.logger.entries.some(
          (e) =>
            e.message.startsWith('attempt not recorded after an HTTP request was sent; SQS unreachable too') &&
            e.attributes.attempt === 1,
        ),
      );
      await sleep(2_500); // the dead attempt's lease runs out
      const again = await h.handler(sqsEvent([{ ...record, receiptHandle: `${record.receiptHandle}-2` }]));
      assert.equal(again.batchItemFailures, []);
      const hist = await run(store.getHistory(messageId));
      assert.is(hist.state.status, 'SUCCESS');
      assert.equal(
        hist.attempts.map((a) => a.deliveryResult.category),
        ['lost', 'success'],
        'the unrecorded request is attempt 1, lost',
      );
      assert.match(
        hist.attempts[0]?.deliveryResult.errorDetails?.message ?? '',
        /^no result recorded: lease .* expired at /,
      );
      assert.is(rx.count('/ok'), 2, 'requests received == attempts recorded');
    } finally {
      await h.http.close();
    }
  },
);

Batch(
  'append fails after the HTTP request, SQS up: the observed outcome comes back through SQS, recorded once',
  async ({ t, store, rx, faults }) => {
    const sqs = recordingOutbox();
    // a retry far away: the receives below only record, they never deliver again
    const far = testStore(t, {
      retry: { maxRetries: 0 },
      retryPolicy: makeRetryPolicy({ baseMs: 60_000, maxMs: 60_000 }),
    });
    const h = harness(far, { leaseMs: 60_000, outbox: sqs.outbox });
    try {
      const messageId = uniqueId('append-handoff');
      const record = sqsRecord({ messageId, url: rx.url('/status/503') });
      faults.plan('TransactWriteItems', ['internal']);
      const res = await h.handler(sqsEvent([record]));
      assert.equal(res.batchItemFailures, [], 'the record is done: the new message carries the delivery on');
      assert.is(sqs.sent.length, 1);
      const body = JSON.parse(sqs.sent[0]?.body ?? '{}');
      assert.is(body.messageId, messageId);
      assert.is(body.observed.attemptNumber, 1);
      assert.is(body.observed.observation.statusCode, 503);
      // delivered twice (SQS at-least-once): recorded once, by attemptId
      const back = sqsRecord(sqs.sent[0]?.body ?? '');
      for (const k of [1, 2]) {
        const r = await h.handler(sqsEvent([{ ...back, receiptHandle: `${back.receiptHandle}-${k}` }]));
        assert.is(r.batchItemFailures.length, 1, 'a retry is scheduled: the record stays');
      }
      const hist = await run(store.getHistory(messageId));
      assert.is(hist.attempts.length, 1);
      assert.is(hist.attempts[0]?.deliveryResult.statusCode, 503, "the receiver's real status");
      // the request as sent travels with it: the attempt keeps the headers the worker sent
      assert.is(hist.attempts[0]?.request.sentHeaders?.['webhook-id'], messageId);
      assert.match(hist.attempts[0]?.request.sentHeaders?.['user-agent'] ?? '', /^delivery-history-worker\//);
      assert.is(hist.state.status, 'FAILED');
      assert.is(rx.count('/status/503'), 1);
      assert.ok(h.logger.entries.some((e) => e.message.includes('observed outcome sent back through SQS')));
    } finally {
      await h.http.close();
    }
  },
);

for (const mode of ['reject', 'hang'] as const) {
  Batch(
    `a ${mode === 'reject' ? 'failing' : 'hanging'} SQS visibility call degrades to SQS's own redelivery`,
    async ({ t, rx }) => {
      // a 10 s backoff: the early redelivery below certainly comes before the retry is due
      const slow = testStore(t, {
        retry: { maxRetries: 0 },
        retryPolicy: makeRetryPolicy({ baseMs: 20_000, maxMs: 20_000 }),
      });
      const h = harness(slow, { visibility: recordingVisibility(mode), sqsTimeoutMs: 200 });
      try {
        const messageId = uniqueId(`vis-${mode}`);
        const record = sqsRecord({ messageId, url: rx.url('/status/503') });
        const t0 = Date.now();
        const res = await h.handler(sqsEvent([record]));
        assert.ok(Date.now() - t0 < 3_000 + 2_000, `returned in ${Date.now() - t0} ms`);
        assert.equal(res.batchItemFailures, [{ itemIdentifier: record.messageId }]);
        assert.is(h.metrics.sum('SqsVisibilityErrors'), 1);
        assert.ok(h.logger.entries.some((e) => e.message.startsWith('could not change the record visibility')));
        // redelivered early by SQS: the claim says NotDue and the schedule is set again
        const early = await h.handler(sqsEvent([{ ...record, receiptHandle: `${record.receiptHandle}-2` }]));
        assert.equal(early.batchItemFailures, [{ itemIdentifier: record.messageId }]);
        assert.is(h.metrics.sum('RecordsSkipped', { reason: 'NotDue' }), 1);
        const state = await run(slow.getState(messageId));
        assert.is(state.attempts, 1, 'no extra attempt, no extra HTTP request');
        assert.is(rx.count('/status/503'), 1);
      } finally {
        await h.http.close();
      }
    },
  );
}

Batch.run();
