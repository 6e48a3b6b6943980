// Seed scenario 6: DynamoDB failures injected by SDK middleware on the real client
// (throttling, 500s, connection resets, a timeout AFTER the write committed). After
// retries the attempt is stored exactly once and the projection matches; failures are
// logged with messageId, attempt, correlationId and the DynamoDB code; an unrecoverable
// failure is a typed error, never a throw, never a half-write.
import type { DeliveryRequest, OutcomeInput } from '@delivery-history/core';
import { memoryLogger } from '@delivery-history/core';
import { type Store, createStore } from '@delivery-history/store';
import type { Claimed } from '../src/ops/claim.js';
import { isTransient } from '@delivery-history/store/testing';
import { isTooLarge } from '@delivery-history/store/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type FaultController, installFaults, type Fault } from '@delivery-history/testkit/faults';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { err503, foldMismatch, left, ok200, request, right } from './support/storeFixtures.js';

type Ctx = { t: TestTable; store: Store; faults: FaultController; log: ReturnType<typeof memoryLogger> };
const Failures = suite<Ctx>('scenario 6: DynamoDB update failures');

Failures.before(async (ctx) => {
  ctx.t = await useTestTable('s6-dynamo');
  ctx.log = memoryLogger();
  ctx.store = createStore({
    doc: ctx.t.doc,
    tableName: ctx.t.tableName,
    logger: ctx.log,
    retry: { maxRetries: 4, baseMs: 5, maxMs: 40 },
  });
  ctx.faults = installFaults(ctx.t.client);
});
Failures.before.each(({ faults, log }) => {
  faults.clear();
  log.entries.length = 0;
});
Failures.after(async ({ t, faults }) => {
  faults.uninstall();
  await t.drop();
});

const prepare = async (store: Store, id: string): Promise<{ req: DeliveryRequest; claimed: Claimed }> => {
  const req = request(id);
  await right(store.createMessage(req));
  return { req, claimed: await right(store.claim(id)) };
};

const appendInput = (claimed: Claimed, input: OutcomeInput = err503, attemptId?: string) => ({
  claimed,
  ...(attemptId ? { attemptId } : {}),
  startedAt: new Date(),
  completedAt: new Date(),
  responseHeaders: {},
  observation: input,
});

const RECOVERABLE: Fault[][] = [
  ['throttle', 'throttle'],
  ['internal'],
  ['reset'],
  ['txThrottle', 'txConflict'],
  ['provisioned', 'unavailable', 'reset'],
];

Failures(
  'transient failures are retried; the attempt is stored once and the projection matches',
  async ({ store, faults, log }) => {
    for (const [i, plan] of RECOVERABLE.entries()) {
      const { req, claimed } = await prepare(store, `s6-recover-${i}`);
      faults.plan('TransactWriteItems', plan);
      const result = await right(store.appendAttempt(appendInput(claimed)));
      assert.is(result.attemptNumber, 1, plan.join(','));
      assert.is(faults.pending(), 0, 'every fault was hit');
      const h = await right(store.getHistory(req.messageId));
      assert.is(h.attempts.length, 1);
      assert.is(h.state.attempts, 1);
      assert.is(h.state.status, 'FAILED');
      assert.equal(await foldMismatch(store, req.messageId), []);
    }
    const retries = log.entries.filter((e) => e.level === 'warn' && e.message.includes('retrying'));
    assert.is(retries.length, RECOVERABLE.flat().length, 'each retried failure logged once');
    for (const e of retries) {
      assert.ok(String(e.attributes.messageId).startsWith('s6-recover-'));
      assert.is(e.attributes.attempt, 1);
      assert.ok(String(e.attributes.correlationId).startsWith('corr-s6-recover-'));
      assert.type(e.attributes.dynamoErrorCode, 'string');
    }
    const codes = new Set(retries.map((e) => e.attributes.dynamoErrorCode));
    for (const c of [
      'ThrottlingException',
      'InternalServerError',
      'ECONNRESET',
      'ThrottlingError',
      'TransactionConflict',
    ]) {
      assert.ok(codes.has(c), `logged ${c}`);
    }
  },
);

Failures('a timeout after commit: the retry (same token) does not append twice', async ({ t, store, faults }) => {
  const { req, claimed } = await prepare(store, 's6-ambiguous');
  faults.plan('TransactWriteItems', ['timeoutAfterCommit']);
  const result = await right(store.appendAttempt(appendInput(claimed)));
  assert.is(faults.calls('TransactWriteItems'), 2, 'committed once, retried once');
  assert.is(result.attemptNumber, 1);
  const h = await right(store.getHistory(req.messageId));
  assert.is(h.attempts.length, 1);
  assert.is(h.state.attempts, 1);
  assert.equal(await foldMismatch(store, req.messageId), []);
  assert.ok(t.tableName.length > 0);
});

Failures(
  'timeouts on every try: typed error, data is there, the caller repeats and gets Duplicate',
  async ({ store, faults, log }) => {
    const { req, claimed } = await prepare(store, 's6-ambiguous-all');
    faults.plan('TransactWriteItems', Array(5).fill('timeoutAfterCommit'));
    const input = appendInput(claimed, ok200, 's6-attempt-1');
    const failed = await left(store.appendAttempt(input));
    assert.ok(isTransient(failed), failed._tag);
    assert.is(failed.awsCode, 'ETIMEDOUT');
    const errors = log.entries.filter((e) => e.level === 'error');
    assert.is(errors.length, 1, 'the final failure is logged once');
    assert.equal(
      [
        errors[0]?.attributes.messageId,
        errors[0]?.attributes.attempt,
        errors[0]?.attributes.correlationId,
        errors[0]?.attributes.dynamoErrorCode,
      ],
      ['s6-ambiguous-all', 1, 'corr-s6-ambiguous-all', 'ETIMEDOUT'],
    );
    // the write committed although the client never saw it; an SQS redelivery repeats it (the
    // same attemptId, recorded later: a byte-identical repeat would be DynamoDB's idempotent
    // replay of the token, which cannot be told from the first write)
    const again = await right(
      store.appendAttempt({ ...input, completedAt: new Date(input.completedAt.getTime() + 1) }),
    );
    assert.is(again.duplicate, true);
    assert.is(again.status, 'SUCCESS');
    const h = await right(store.getHistory(req.messageId));
    assert.is(h.attempts.length, 1);
    assert.is(h.state.status, 'SUCCESS');
    assert.equal(await foldMismatch(store, req.messageId), []);
  },
);

Failures(
  'an unrecoverable failure is a typed error with nothing half-written; a later retry succeeds',
  async ({ store, faults, log }) => {
    const { req, claimed } = await prepare(store, 's6-down');
    faults.plan('TransactWriteItems', Array(5).fill('internal'));
    const outcome = await store.appendAttempt(appendInput(claimed))();
    assert.is(outcome._tag, 'Left', 'returned, not thrown');
    if (outcome._tag === 'Left') {
      assert.ok(isTransient(outcome.left));
      assert.is(outcome.left.code, 'STORE_TRANSIENT');
      assert.is(outcome.left.awsCode, 'InternalServerError');
    }
    assert.is(faults.calls('TransactWriteItems'), 5, '1 try + 4 retries');
    const errors = log.entries.filter((e) => e.level === 'error');
    assert.is(errors.length, 1);
    const h = await right(store.getHistory(req.messageId));
    assert.is(h.attempts.length, 0, 'no attempt item');
    assert.is(h.state.attempts, 0, 'STATE untouched');
    assert.is(h.state.status, 'PROCESSING');
    // the lease is still ours: the redelivered record appends normally
    const result = await right(store.appendAttempt(appendInput(claimed)));
    assert.is(result.attemptNumber, 1);
    assert.equal(await foldMismatch(store, req.messageId), []);
  },
);

Failures('a size ValidationException is TooLarge and is not retried', async ({ store, faults }) => {
  const { claimed } = await prepare(store, 's6-toolarge');
  faults.plan('TransactWriteItems', ['tooLarge']);
  const failed = await left(store.appendAttempt(appendInput(claimed)));
  assert.ok(isTooLarge(failed), failed._tag);
  assert.is(faults.calls('TransactWriteItems'), 1);
});

Failures('claim and create survive faults too (a committed claim is recognised as ours)', async ({ store, faults }) => {
  faults.plan('PutItem', ['timeoutAfterCommit']);
  const req = request('s6-claim');
  const created = await right(store.createMessage(req));
  assert.is(created.state.messageId, req.messageId);
  faults.plan('UpdateItem', ['throttle', 'timeoutAfterCommit']);
  const claimed = await right(store.claim(req.messageId));
  assert.is(claimed.state.status, 'PROCESSING');
  assert.is(claimed.state.lease?.leaseId, claimed.ticket.leaseId);
  assert.is(faults.calls('UpdateItem'), 3);
  const result = await right(store.appendAttempt(appendInput(claimed, ok200)));
  assert.is(result.status, 'SUCCESS');
});

Failures.run();
