// Seed scenario 1: a successful delivery ends SUCCESS with its timestamp and metrics, and
// final means final: a further claim or append is refused with AlreadyFinal.
import { size } from '@delivery-history/core';
import { isAlreadyFinal, isConflict } from '@delivery-history/store/testing';
import * as assert from 'uvu/assert';
import { deliver, foldMismatch, left, ok200, request, right, storeSuite } from './support/storeFixtures.js';

const Success = storeSuite('scenario 1: success status update', 's1-success');

Success('createMessage is idempotent and refuses a different payload under the same id', async ({ store }) => {
  const req = request('s1-create');
  const first = await right(store.createMessage(req));
  assert.is(first.created, true);
  assert.is(first.state.status, 'PENDING');
  assert.is(first.state.attempts, 0);
  const again = await right(store.createMessage(req));
  assert.is(again.created, false);
  assert.equal(again.state, first.state);
  const clash = await left(store.createMessage({ ...req, body: 'something else' }));
  assert.ok(isConflict(clash), clash._tag);
  assert.is(clash.code, 'STORE_CONFLICT');
});

Success('a 200 makes the message SUCCESS with timestamp and metrics, in one attempt', async ({ store }) => {
  const req = request('s1-ok');
  await right(store.createMessage(req));
  const startedAt = new Date(Date.now() - 50);
  const completedAt = new Date();
  const { claimed, result } = await deliver(store, req, ok200, { startedAt, completedAt });
  assert.is(claimed.ticket.attemptNumber, 1);
  assert.is(claimed.state.status, 'PROCESSING');
  assert.is(result.status, 'SUCCESS');
  assert.is(result.final, true);
  assert.is(result.superseded, false);
  assert.is(result.duplicate, false);

  const state = await right(store.getState(req.messageId));
  assert.is(state.status, 'SUCCESS');
  assert.is(state.attempts, 1);
  assert.is(state.retryEligible, false);
  assert.is(state.nextAttemptAt, null);
  assert.is(state.lease, null);
  assert.is(state.lastDeliveryAttempt, completedAt.toISOString());
  assert.is(state.lastUpdatedAt, completedAt.toISOString());
  const r = state.deliveryResult;
  assert.ok(r !== null);
  assert.is(r.success, true);
  assert.is(r.statusCode, 200);
  assert.is(r.statusText, 'OK');
  assert.is(r.responseTime, 42);
  assert.is(r.category, 'success');
  assert.is(r.errorDetails, null);
  assert.is(r.correlationId, req.correlationId);
  assert.ok(!Number.isNaN(Date.parse(r.timestamp)));
  assert.equal(await foldMismatch(store, req.messageId), []);
});

Success('a final message refuses a further claim and a further append (AlreadyFinal)', async ({ store }) => {
  const req = request('s1-final');
  await right(store.createMessage(req));
  const { claimed } = await deliver(store, req, ok200);
  const claimAgain = await left(store.claim(req.messageId));
  assert.ok(isAlreadyFinal(claimAgain), claimAgain._tag);
  assert.is(claimAgain.code, 'STORE_ALREADY_FINAL');
  if (isAlreadyFinal(claimAgain)) assert.is(claimAgain.status, 'SUCCESS');

  // the same lease trying to record a second attempt: one lease authorises one attempt
  const appendAgain = await left(
    store.appendAttempt({
      claimed,
      startedAt: new Date(),
      completedAt: new Date(),
      responseHeaders: null,
      observation: ok200,
    }),
  );
  assert.ok(isAlreadyFinal(appendAgain), appendAgain._tag);
  const h = await right(store.getHistory(req.messageId));
  assert.is(h.attempts.length, 1);
  assert.is(h.state.attempts, 1);
});

Success('repeating the very same append is an idempotent success (no second item)', async ({ store }) => {
  const req = request('s1-dup');
  await right(store.createMessage(req));
  const claimed = await right(store.claim(req.messageId));
  const input = {
    claimed,
    attemptId: 'attempt-fixed-id',
    startedAt: new Date(),
    completedAt: new Date(),
    responseHeaders: {},
    observation: ok200,
  };
  const first = await right(store.appendAttempt(input));
  // the same attempt (same attemptId) recorded again later, as an SQS redelivery would: a
  // byte-identical repeat would be DynamoDB's own idempotent replay of the token, which cannot
  // be told from the first write; a repeat that differs is recognised by its attemptId
  const second = await right(store.appendAttempt({ ...input, completedAt: new Date(input.completedAt.getTime() + 1) }));
  assert.is(first.duplicate, false);
  assert.is(second.duplicate, true);
  assert.equal(second.attempt, first.attempt);
  const h = await right(store.getHistory(req.messageId));
  assert.is(h.attempts.length, 1);
  assert.ok(size.item(h.attempts[0] ?? {}) < 350_000);
});

Success.run();
