import { createLocalWorker } from '@delivery-history/devkit';
import { memoryMetrics } from '@delivery-history/worker/testing';
import * as assert from 'uvu/assert';
import { type GateReceiver, startGateReceiver } from '@delivery-history/testkit/gateReceiver';
import { harness, run, sqsEvent, sqsRecord, uniqueId, workerSuite } from './support/workerRig.js';

const Duplicates = workerSuite<{ gate: GateReceiver }>('duplicate deliveries', 'worker-duplicates', { leaseMs: 5_000 });
Duplicates.before(async (ctx) => {
  ctx.gate = await startGateReceiver();
});
Duplicates.after(async (ctx) => {
  await ctx.gate.close();
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
