import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSEvent } from 'aws-lambda';
import { fakeClock } from '@delivery-history/testkit/fakeClock';
import { memoryLogger, TimeoutError } from '@delivery-history/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLocalDriver } from '../src/localDriver.js';
import { createLocalQueue, type QueueCallError } from '../src/localQueue.js';

const ref = (r: { messageId: string; receiptHandle: string }) => ({ ...r, eventSourceARN: 'arn' });

// ---------------------------------------------------------------------------
const Queue = suite('local queue (SQS semantics)');

Queue('delays, visibility timeout, redelivery with a growing receive count', () => {
  const { now: clock, advance } = fakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const q = createLocalQueue({ clock, visibilityTimeoutMs: 1000 });
  q.send('a', { delayMs: 500 });
  assert.is(q.receive(10).length, 0, 'delayed');
  advance(500);
  const [first] = q.receive(10);
  assert.is(first?.body, 'a');
  assert.is(first?.attributes.ApproximateReceiveCount, '1');
  assert.is(q.receive(10).length, 0, 'in flight');
  assert.equal(q.counts(), { visible: 0, inFlight: 1, delayed: 0, total: 1, deadLetters: 0 });
  advance(1000);
  const [second] = q.receive(10);
  assert.is(second?.attributes.ApproximateReceiveCount, '2');
  assert.is.not(second?.receiptHandle, first?.receiptHandle);
});

Queue('delete and visibility changes need the latest receipt handle', async () => {
  const { now: clock, advance } = fakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const q = createLocalQueue({ clock, visibilityTimeoutMs: 1000 });
  q.send('a');
  const [first] = q.receive(1);
  advance(1000);
  const [second] = q.receive(1);
  if (first === undefined || second === undefined) return assert.unreachable();
  await q.visibility.changeVisibility(ref(first), 0).then(
    () => assert.unreachable('stale handle accepted'),
    (e: QueueCallError) => assert.is(e.code, 'ReceiptHandleIsInvalid'),
  );
  assert.not.ok(q.delete(first.receiptHandle));
  await q.visibility.changeVisibility(ref(second), 5000);
  advance(4999);
  assert.is(q.receive(1).length, 0);
  advance(1);
  const [third] = q.receive(1);
  assert.ok(third);
  if (third) assert.ok(q.delete(third.receiptHandle));
  assert.is(q.counts().total, 0);
});

Queue('a visibility change on a message no longer in flight is refused', async () => {
  const { now: clock, advance } = fakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const q = createLocalQueue({ clock, visibilityTimeoutMs: 100 });
  q.send('a');
  const [r] = q.receive(1);
  advance(100);
  if (r === undefined) return assert.unreachable();
  await q.visibility.changeVisibility(ref(r), 10).then(
    () => assert.unreachable(),
    (e: QueueCallError) => assert.is(e.code, 'MessageNotInflight'),
  );
  const [again] = q.receive(1);
  if (again === undefined) return assert.unreachable();
  await q.visibility.changeVisibility(ref(again), 13 * 3600 * 1000).then(
    () => assert.unreachable(),
    (e: QueueCallError) => assert.is(e.code, 'InvalidParameterValue'),
  );
});

Queue('the receive past maxReceiveCount moves the message to the DLQ', () => {
  const { now: clock, advance } = fakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const q = createLocalQueue({ clock, visibilityTimeoutMs: 10, maxReceiveCount: 3 });
  q.send('poison');
  for (let i = 1; i <= 3; i++) {
    assert.is(q.receive(1)[0]?.attributes.ApproximateReceiveCount, String(i));
    advance(10);
  }
  assert.is(q.receive(1).length, 0);
  assert.is(q.deadLetters.length, 1);
  assert.is(q.deadLetters[0]?.receiveCount, 3);
  assert.is(q.deadLetters[0]?.body, 'poison');
  assert.is(q.counts().total, 0);
});

Queue.run();

// ---------------------------------------------------------------------------
const Driver = suite('local driver (Lambda event source mapping)');

Driver('deletes successes, redelivers batch item failures, drains', async () => {
  const q = createLocalQueue({ visibilityTimeoutMs: 30 });
  const seen = new Map<string, number>();
  const driver = createLocalDriver({
    queue: q,
    pollIntervalMs: 5,
    handler: async (event: SQSEvent) => {
      const failures = [];
      for (const r of event.Records) {
        const n = (seen.get(r.body) ?? 0) + 1;
        seen.set(r.body, n);
        // "twice" fails twice, then succeeds
        if (r.body === 'twice' && n <= 2) failures.push({ itemIdentifier: r.messageId });
      }
      return { batchItemFailures: failures };
    },
  });
  driver.send('once');
  driver.send('twice');
  driver.send({ a: 1 }, { delayMs: 20 });
  driver.start({ concurrency: 2, batchSize: 2 });
  await driver.drain({ timeoutMs: 3000 });
  await driver.stop();
  // strings are sent as is, objects JSON-encoded
  assert.equal(Object.fromEntries(seen), { once: 1, twice: 3, '{"a":1}': 1 });
  const s = driver.stats();
  assert.is(s.batchItemFailures, 2);
  assert.is(s.queue.deleted, 3);
  assert.is(s.counts.total, 0);
});

Driver('a handler that throws, or names an unknown record, fails the whole batch', async () => {
  const q = createLocalQueue({ visibilityTimeoutMs: 20, maxReceiveCount: 2 });
  let calls = 0;
  const driver = createLocalDriver({
    queue: q,
    pollIntervalMs: 5,
    handler: async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] };
    },
  });
  driver.send('x');
  driver.start({ batchSize: 1 });
  await driver.drain({ timeoutMs: 3000 });
  await driver.stop();
  assert.is(calls, 2);
  assert.is(driver.stats().failedInvocations, 2);
  assert.is(q.deadLetters.length, 1, 'after maxReceiveCount the DLQ has it');
});

Driver('an invocation past invocationTimeoutMs fails the whole batch (core TimeoutError), as on Lambda', async () => {
  const q = createLocalQueue({ visibilityTimeoutMs: 20, maxReceiveCount: 1 });
  const logger = memoryLogger();
  const driver = createLocalDriver({
    queue: q,
    pollIntervalMs: 5,
    invocationTimeoutMs: 30,
    logger,
    // never answers
    handler: () => new Promise(() => {}),
  });
  driver.send('slow');
  driver.start({ batchSize: 1 });
  await driver.drain({ timeoutMs: 3000 });
  await driver.stop();
  const s = driver.stats();
  assert.is(s.failedInvocations, 1);
  assert.is(s.queue.deleted, 0);
  assert.is(q.deadLetters.length, 1, 'not deleted: it came back and went to the DLQ');
  assert.equal(
    logger.entries.filter((e) => e.level === 'error').map((e) => e.attributes.error),
    [new TimeoutError('invocation', 30).message],
  );
});

Driver('drain rejects with the counts when the queue does not empty in time', async () => {
  const q = createLocalQueue({ visibilityTimeoutMs: 10_000 });
  const driver = createLocalDriver({
    queue: q,
    handler: async (e) => ({ batchItemFailures: e.Records.map((r) => ({ itemIdentifier: r.messageId })) }),
  });
  driver.send('stuck');
  driver.start();
  try {
    await driver.drain({ timeoutMs: 100 });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, 'not drained');
  } finally {
    await driver.stop();
  }
});

Driver('drain untilIdle: waits while records are handled, rejects once none is for the limit', async () => {
  const q = createLocalQueue({ visibilityTimeoutMs: 10_000 });
  let calls = 0;
  // each record takes 400 ms: five of them take longer than the 1.5 s limit, none alone does
  const driver = createLocalDriver({
    queue: q,
    handler: async () => {
      calls++;
      await sleep(400);
      return { batchItemFailures: [] };
    },
  });
  for (let i = 0; i < 5; i++) driver.send(`r-${i}`);
  driver.start({ batchSize: 1 });
  try {
    await driver.drain({ timeoutMs: 1500, untilIdle: true });
    assert.is(calls, 5);
  } finally {
    await driver.stop();
  }
  const stuck = createLocalDriver({
    queue: createLocalQueue({ visibilityTimeoutMs: 10_000 }),
    handler: async () => new Promise(() => {}),
  });
  stuck.send('never');
  stuck.start();
  try {
    await stuck.drain({ timeoutMs: 100, untilIdle: true });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, 'no record handled for 100 ms');
  }
});

Driver.run();
