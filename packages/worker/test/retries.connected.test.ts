// Retry scheduling end to end on one machine: local queue (SQS semantics) + driver + handler
// + DynamoDB Local + a real receiver. Retries come back through visibility changes only: the
// queue's own visibility timeout is 60 s, longer than this whole file.
import { memoryLogger } from '@delivery-history/core';
import { createLocalWorker, type LocalWorker, type Receivers, startReceivers } from '@delivery-history/devkit';
import { memoryMetrics } from '@delivery-history/worker/testing';
import type { Store } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { run, testStore, uniqueId } from './support/workerRig.js';

type Ctx = { t: TestTable; rx: Receivers; w: LocalWorker; store: Store; logger: ReturnType<typeof memoryLogger> };
const Retries = suite<Ctx>('retries through the local driver');

Retries.before(async (ctx) => {
  ctx.t = await useTestTable('worker-retries');
  ctx.rx = await startReceivers();
  ctx.logger = memoryLogger();
  ctx.store = testStore(ctx.t);
  ctx.w = createLocalWorker({
    store: ctx.store,
    env: {
      DELIVERY_ALLOW_TARGETS: '127.0.0.1',
      DELIVERY_TIMEOUT_MS: '3000',
      DELIVERY_BACKOFF_BASE_MS: '40',
      DELIVERY_BACKOFF_MAX_MS: '200',
      DELIVERY_MAX_ATTEMPTS: '4',
    },
    logger: ctx.logger,
    metrics: memoryMetrics(),
    visibilityTimeoutMs: 60_000,
    maxReceiveCount: 6,
    pollIntervalMs: 10,
  });
  ctx.w.driver.start({ concurrency: 2, batchSize: 5 });
});
Retries.after(async (ctx) => {
  await ctx.w.close();
  await ctx.rx.close();
  await ctx.t.drop();
});

Retries('failing twice then succeeding ends SUCCESS with 3 attempts and the full history', async ({ w, rx, store }) => {
  const messageId = uniqueId('flaky');
  w.driver.send({ messageId, url: rx.url('/flaky/2'), body: '{"n":1}', maxAttempts: 5 });
  await w.driver.drain({ timeoutMs: 10_000 });
  const h = await run(store.getHistory(messageId));
  assert.is(h.state.status, 'SUCCESS');
  assert.is(h.state.attempts, 3);
  assert.equal(
    h.attempts.map((a) => [
      a.attemptNumber,
      a.status,
      a.deliveryResult.statusCode,
      a.deliveryResult.retryEligible,
      a.nextAttemptAt !== null,
    ]),
    [
      [1, 'FAILED', 503, true, true],
      [2, 'FAILED', 503, true, true],
      [3, 'SUCCESS', 200, false, false],
    ],
  );
  // each retry waited for its nextAttemptAt
  for (const [prev, next] of [
    [h.attempts[0], h.attempts[1]],
    [h.attempts[1], h.attempts[2]],
  ]) {
    assert.ok(Date.parse(next?.startedAt ?? '') >= Date.parse(prev?.nextAttemptAt ?? ''), 'not before it was due');
  }
  assert.is(rx.requests.filter((r) => r.webhookId === messageId).length, 3, 'one HTTP request per attempt');
  assert.is(w.queue.counts().total, 0, 'record deleted once final');
});

Retries(
  'always failing ends FAILED, not retry-eligible, after exactly maxAttempts attempts',
  async ({ w, rx, store }) => {
    const messageId = uniqueId('always');
    rx.clear();
    w.driver.send({ messageId, url: rx.url('/status/500'), maxAttempts: 3 });
    await w.driver.drain({ timeoutMs: 10_000 });
    const h = await run(store.getHistory(messageId));
    assert.is(h.state.status, 'FAILED');
    assert.is(h.state.retryEligible, false);
    assert.is(h.state.nextAttemptAt, null);
    assert.is(h.state.attempts, 3);
    assert.is(h.attempts.length, 3);
    assert.match(h.state.deliveryResult?.errorDetails?.message ?? '', 'retries exhausted: attempt 3 of 3');
    assert.is(rx.count('/status/500'), 3);
    assert.is(w.queue.deadLetters.length, 0, 'the app decided exhaustion, not the DLQ');
  },
);

Retries(
  'a poison record reaches the DLQ after maxReceiveCount receives, with the reason logged',
  async ({ w, logger }) => {
    w.driver.send('{"messageId": "no url"');
    w.driver.send({ messageId: 'bad id with spaces', url: 'ftp://x' });
    await w.driver.drain({ timeoutMs: 10_000 });
    assert.is(w.queue.deadLetters.length, 2);
    assert.equal(
      w.queue.deadLetters.map((d) => d.receiveCount),
      [6, 6],
    );
    const reasons = logger.entries
      .filter((e) => e.message.startsWith('undecodable SQS body'))
      .map((e) => String(e.attributes.reason));
    assert.ok(reasons.some((r) => r.startsWith('body is not JSON')));
    assert.ok(reasons.some((r) => r.includes('.url: expected http(s) URL') && r.includes('.messageId')));
  },
);

Retries.run();
