// Issue 17, the hot path: DynamoDB round trips per SQS record through the real handler,
// counted by an SDK middleware on the table client (nothing mocked). First delivery: the
// upsert-and-claim (one UpdateItem) + the append (one TransactWriteItems) = 2; each retry the
// same 2; a duplicate record of a delivered (or leased) message: the refused upsert only = 1.
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { sealing } from '@delivery-history/core';
import { makeRetryPolicy } from '@delivery-history/core';
import * as assert from 'uvu/assert';
import { type CallCounter, countCalls } from '@delivery-history/testkit/callCounter';
import {
  harness,
  run,
  sqsEvent,
  sqsRecord,
  testStore,
  uniqueId,
  workerSuite,
  type WorkerCtx,
} from './support/workerRig.js';

type Ctx = WorkerCtx & { calls: CallCounter };
const RoundTrips = workerSuite<{ calls: CallCounter }>('worker round trips per delivery', 'worker-round-trips');
RoundTrips.before(async (ctx) => {
  ctx.calls = countCalls(ctx.t.client);
});
RoundTrips.after(async (ctx) => {
  ctx.calls.uninstall();
});

/** Requests per operation of one handler call. */
const counted = async (ctx: Ctx, receive: () => Promise<unknown>) => {
  ctx.calls.reset();
  await receive();
  return {
    total: ctx.calls.total(),
    UpdateItem: ctx.calls.calls('UpdateItem'),
    TransactWriteItems: ctx.calls.calls('TransactWriteItems'),
  };
};

RoundTrips('first delivery 2 (upsert + append), duplicate record 1 (the refused upsert)', async (ctx) => {
  const h = harness(ctx.store);
  try {
    const messageId = uniqueId('rt-first');
    const record = sqsRecord({ messageId, url: ctx.rx.url('/ok') });
    const first = await counted(ctx, () => h.handler(sqsEvent([record])));
    assert.equal(first, { total: 2, UpdateItem: 1, TransactWriteItems: 1 });
    assert.is((await run(ctx.store.getState(messageId))).status, 'SUCCESS');
    const duplicate = await counted(ctx, () => h.handler(sqsEvent([{ ...record, receiptHandle: 'rh-dup' }])));
    assert.equal(duplicate, { total: 1, UpdateItem: 1, TransactWriteItems: 0 });
    assert.is(ctx.rx.count('/ok'), 1, 'the duplicate sent nothing');
  } finally {
    await h.http.close();
  }
});

RoundTrips('a failed first attempt 2, its retry 2; a copy while leased 1', async (ctx) => {
  const h = harness(testStore(ctx.t, { retryPolicy: makeRetryPolicy({ baseMs: 20, maxMs: 40 }) }));
  try {
    const messageId = uniqueId('rt-retry');
    const record = sqsRecord({ messageId, url: ctx.rx.url('/flaky/1') });
    const failed = await counted(ctx, () => h.handler(sqsEvent([record])));
    assert.equal(failed, { total: 2, UpdateItem: 1, TransactWriteItems: 1 });
    const state = await run(ctx.store.getState(messageId));
    assert.is(state.status, 'FAILED');
    await sleep(Math.max(0, Date.parse(state.nextAttemptAt ?? '') - Date.now()) + 5);
    const retry = await counted(ctx, () => h.handler(sqsEvent([{ ...record, receiptHandle: 'rh-retry' }])));
    assert.equal(retry, { total: 2, UpdateItem: 1, TransactWriteItems: 1 });
    assert.is((await run(ctx.store.getState(messageId))).status, 'SUCCESS');

    // a copy of a message another worker holds: refused Leased in one call
    const leased = {
      messageId: uniqueId('rt-leased'),
      url: ctx.rx.url('/ok'),
      method: 'POST' as const,
      headers: {},
      body: '{}',
      correlationId: 'rt-leased',
      maxAttempts: 3,
    };
    await run(ctx.store.createAndClaim(leased));
    const copy = await counted(ctx, () => h.handler(sqsEvent([sqsRecord(leased)])));
    assert.equal(copy, { total: 1, UpdateItem: 1, TransactWriteItems: 0 });
    assert.is(h.metrics.sum('PoisonRecords'), 0, 'the same request: not a Conflict');
    assert.is(h.metrics.sum('RecordsSkipped'), 1, 'skipped: Leased');
    assert.ok(h.logger.entries.some((e) => e.message === 'record skipped: Leased'));
  } finally {
    await h.http.close();
  }
});

RoundTrips(
  'sealed credentials cost no round trip: sealed first delivery 2, a re-drive body restored and sent in 2',
  async (ctx) => {
    const sealer = sealing.createSealer(sealing.rawAesKeyProvider([{ id: 'local/rt', key: randomBytes(32) }]));
    const h = harness(testStore(ctx.t, { retryPolicy: makeRetryPolicy({ baseMs: 20, maxMs: 40 }) }), { sealer });
    try {
      const messageId = uniqueId('rt-sealed');
      const token = randomBytes(12).toString('hex');
      const request = {
        messageId,
        url: ctx.rx.url('/flaky/1'),
        method: 'POST' as const,
        headers: { authorization: `Bearer ${token}` },
        body: '{}',
        correlationId: messageId,
        maxAttempts: 3,
      };
      const first = await counted(ctx, () => h.handler(sqsEvent([sqsRecord(request)])));
      assert.equal(first, { total: 2, UpdateItem: 1, TransactWriteItems: 1 });
      const state = await run(ctx.store.getState(messageId));
      assert.type(state.sealed, 'string');
      await sleep(Math.max(0, Date.parse(state.nextAttemptAt ?? '') - Date.now()) + 5);
      // what a re-drive or a requeue enqueues: the stored, redacted request
      const stored = { ...request, url: state.request.url, headers: state.request.headers };
      const redriven = await counted(ctx, () => h.handler(sqsEvent([sqsRecord(stored)])));
      assert.equal(redriven, { total: 2, UpdateItem: 1, TransactWriteItems: 1 });
      const sent = ctx.rx.requests.filter((r) => r.path === '/flaky/1' && r.webhookId === messageId);
      assert.equal(
        sent.map((r) => r.headers.authorization),
        [`Bearer ${token}`, `Bearer ${token}`],
      );
      assert.is((await run(ctx.store.getState(messageId))).status, 'SUCCESS');
    } finally {
      await h.http.close();
    }
  },
);

RoundTrips.run();
