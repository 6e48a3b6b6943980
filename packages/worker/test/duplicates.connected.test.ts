// SQS is at-least-once: the same record can arrive twice at the same time, and a message can be
// queued twice. Whatever the interleaving: one HTTP request per attempt number, no double count.
import type { Store } from '@delivery-history/store';
import { createLocalWorker, type Receivers, startReceivers } from '@delivery-history/devkit';
import { memoryMetrics } from '@delivery-history/worker/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type GateReceiver, startGateReceiver } from '@delivery-history/testkit/gateReceiver';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { harness, run, sqsEvent, sqsRecord, testStore, uniqueId } from './support/workerRig.js';

type Ctx = { t: TestTable; store: Store; rx: Receivers; gate: GateReceiver };
const Duplicates = suite<Ctx>('duplicate deliveries');

Duplicates.before(async (ctx) => {
  ctx.t = await useTestTable('worker-duplicates');
  ctx.store = testStore(ctx.t, { leaseMs: 5_000 });
  ctx.rx = await startReceivers();
  ctx.gate = await startGateReceiver();
});
Duplicates.after(async (ctx) => {
  await ctx.gate.close();
  await ctx.rx.close();
  await ctx.t.drop();
});

Duplicates('the same SQS record delivered twice at once: one HTTP request, one attempt', async ({ store, gate }) => {
  const h = harness(store, { leaseMs: 5_000 });
  try {
    const messageId = uniqueId('dup');
    const first = sqsRecord({ messageId, url: gate.url });
    // the same SQS message, received a second time (new receipt handle) while the first runs
    const second = { ...first, receiptHandle: `${first.receiptHandle}-again` };
    const a = h.handler(sqsEvent([first]));
    await gate.waitFor(1);
    const b = await h.handler(sqsEvent([second]));
    gate.release(200);
    const aRes = await a;
    assert.equal(aRes.batchItemFailures, [], 'the copy that delivered is done');
    assert.equal(b.batchItemFailures, [{ itemIdentifier: first.messageId }], 'the other copy comes back later');
    const wait = h.visibility.calls.find((c) => c.receiptHandle === second.receiptHandle);
    assert.ok(
      wait !== undefined && wait.delayMs >= 1_000 && wait.delayMs <= 6_000,
      `waits out the lease: ${wait?.delayMs}`,
    );
    assert.is(gate.arrived, 1, 'one HTTP request');
    // when it comes back the message is final: deleted without another request
    const later = await h.handler(sqsEvent([{ ...first, receiptHandle: `${first.receiptHandle}-later` }]));
    assert.equal(later.batchItemFailures, []);
    assert.is(gate.arrived, 1);
    const hist = await run(store.getHistory(messageId));
    assert.is(hist.state.status, 'SUCCESS');
    assert.is(hist.state.attempts, 1);
    assert.is(hist.attempts.length, 1);
    assert.is(h.metrics.sum('RecordsSkipped', { reason: 'Leased' }), 1);
    assert.is(h.metrics.sum('RecordsSkipped', { reason: 'AlreadyFinal' }), 1);
  } finally {
    await h.http.close();
  }
});

Duplicates(
  'two copies of a retried message race through the local driver: attempts dense, one request each',
  async ({ store, rx }) => {
    const metrics = memoryMetrics();
    const w = createLocalWorker({
      store,
      env: {
        DELIVERY_ALLOW_TARGETS: '127.0.0.1',
        DELIVERY_TIMEOUT_MS: '3000',
        DELIVERY_BACKOFF_BASE_MS: '30',
        DELIVERY_BACKOFF_MAX_MS: '120',
      },
      config: { leaseMs: 5_000 },
      metrics,
      visibilityTimeoutMs: 60_000,
      maxReceiveCount: 20,
      pollIntervalMs: 5,
    });
    try {
      const ids = [uniqueId('race-a'), uniqueId('race-b'), uniqueId('race-c')];
      for (const messageId of ids) {
        const request = { messageId, url: rx.url('/flaky/2'), body: `{"id":"${messageId}"}`, maxAttempts: 5 };
        w.driver.send(request);
        w.driver.send(request); // the producer sent it twice
      }
      w.driver.start({ concurrency: 3, batchSize: 2 });
      await w.driver.drain({ timeoutMs: 30_000 });
      for (const messageId of ids) {
        const hist = await run(store.getHistory(messageId));
        assert.is(hist.state.status, 'SUCCESS', messageId);
        assert.is(hist.state.attempts, 3, `${messageId}: no double count`);
        assert.equal(
          hist.attempts.map((a) => a.attemptNumber),
          [1, 2, 3],
        );
        assert.is(
          rx.requests.filter((r) => r.webhookId === messageId).length,
          3,
          `${messageId}: one HTTP request per attempt`,
        );
      }
      assert.is(metrics.sum('Deliveries'), 9);
      assert.is(w.queue.deadLetters.length, 0);
    } finally {
      await w.close();
    }
  },
);

Duplicates.run();
